package edge.api.admin;

import edge.api.rest.ApiError;
import edge.config.AdminConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Lets a request through to an {@link AdminOnly} resource only with {@code Authorization: Bearer <edge.admin.key>};
 * everything else is answered 401, also when no key is configured (the admin API is then closed).
 */
@Provider
@AdminOnly
public class AdminKeyFilter implements ContainerRequestFilter {

    private static final Logger LOG = Logger.getLogger(AdminKeyFilter.class);
    private static final String BEARER = "Bearer ";

    private final Instance<AdminConfig> config;
    /** Read at the first use: the filter is created during static init, before the runtime configuration. */
    private volatile Optional<byte[]> key;

    /**
     * @param config {@code edge.admin.key} (env {@code EDGE_ADMIN_KEY}); unset: the admin API is closed
     */
    public AdminKeyFilter(Instance<AdminConfig> config) {
        this.config = config;
    }

    void logClosed(@Observes StartupEvent event) {
        if (key().isEmpty()) {
            LOG.info("edge.admin.key is not set: the admin API (/models) answers 401 to every request");
        }
    }

    private Optional<byte[]> key() {
        Optional<byte[]> current = key;
        if (current == null) {
            current = config.get().key().filter(k -> !k.isBlank()).map(k -> k.getBytes(StandardCharsets.UTF_8));
            key = current;
        }
        return current;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String header = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        String problem;
        Optional<byte[]> key = key();
        if (key.isEmpty()) {
            problem = "the admin API is closed: no edge.admin.key is configured on this box";
        } else if (header == null || !header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            problem = "the admin API needs the header Authorization: Bearer <edge.admin.key>";
        } else if (!MessageDigest.isEqual(key.get(),
                header.substring(BEARER.length()).trim().getBytes(StandardCharsets.UTF_8))) {
            // Same time for every wrong key: MessageDigest.isEqual does not stop at the first difference.
            problem = "wrong admin key";
        } else {
            return;
        }
        LOG.warnf("Admin request %s %s refused: %s", request.getMethod(), request.getUriInfo().getPath(), problem);
        request.abortWith(Response.status(401).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"edge-admin\"")
                .type(MediaType.APPLICATION_JSON_TYPE).entity(new ApiError(problem, 401)).build());
    }
}
