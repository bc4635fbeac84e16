package edge.api.rest;

import edge.config.ImageConfig;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.Json;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Refuses a body whose declared Content-Length is over {@code edge.image.max-bytes} before a byte of it is read,
 * with the same JSON error as every other refusal. (A chunked body with no length is cut by the HTTP layer at
 * {@code quarkus.http.limits.max-body-size}, which defaults to the same value.)
 */
@ApplicationScoped
public class BodyLimitFilter {

    /** Before the REST routes. */
    private static final int ORDER = -100;

    private final long maxBytes;

    public BodyLimitFilter(ImageConfig config) {
        this.maxBytes = config.maxBytes().asLongValue();
    }

    void install(@Observes Router router) {
        router.route().order(ORDER).handler(ctx -> {
            String length = ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH);
            if (length != null && declaredLength(length) > maxBytes) {
                String message = "the request body is " + length + " bytes, over the limit of " + maxBytes
                        + " (edge.image.max-bytes)";
                ctx.response().setStatusCode(413)
                        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                        .putHeader(HttpHeaders.CONNECTION, "close")
                        .end(Json.encode(new ApiError(message, 413)));
                return;
            }
            ctx.next();
        });
    }

    private static long declaredLength(String header) {
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
