package edge.security;

import edge.api.rest.ApiError;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

/**
 * Every REST resource needs an API key when keys are configured, except the admin API (its own key, see
 * AdminKeyFilter). Health, metrics and the static web UI are not resources and stay open: probes and scrapers
 * need no key, and the UI asks the user for one.
 */
@Provider
@PreMatching
public class ApiKeyFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(ApiKeyFilter.class);
    static final String HEADER = "X-API-Key";

    private final ApiKeys keys;

    public ApiKeyFilter(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        if (!keys.required()) {
            return;
        }
        String path = request.getUriInfo().getPath();
        if (path.equals("/models") || path.startsWith("/models/")) {
            return;
        }
        if (keys.accepts(request.getHeaderString(HEADER), request.getHeaderString(HttpHeaders.AUTHORIZATION))) {
            return;
        }
        // The key itself is never logged, right or wrong.
        LOG.debugf("Refused %s %s: no valid API key", request.getMethod(), path);
        request.abortWith(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"edge\"")
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError("an API key is required: send X-API-Key: <key> or Authorization: Bearer <key> "
                        + "(edge.api.keys)", 401)).build());
    }
}
