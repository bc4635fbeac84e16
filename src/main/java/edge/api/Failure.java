package edge.api;

import edge.detect.InvalidRequest;
import edge.image.ImageRejected;
import edge.model.ModelUnavailable;
import edge.scheduler.Overloaded;
import edge.scheduler.QueueTimeout;
import io.grpc.Status;
import org.jboss.logging.Logger;

import java.util.HexFormat;
import java.util.OptionalInt;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The one table from a failure of the request path to what a client gets, for REST and gRPC alike: the HTTP status,
 * the gRPC status, the message (the same words on both) and, where waiting helps, the seconds to wait. An
 * unexpected failure is logged with a short id and answered 500 / INTERNAL with that id only: no exception class or
 * message reaches a client.
 *
 * @param http       the HTTP status
 * @param grpc       the gRPC status code
 * @param message    what the client is told
 * @param retryAfter seconds for {@code Retry-After}, where a later try can succeed
 */
public record Failure(int http, Status.Code grpc, String message, OptionalInt retryAfter) {

    private static final Logger LOG = Logger.getLogger(Failure.class);

    /** Seconds a client should wait before retrying while no model is loaded. */
    public static final int RETRY_AFTER_NO_MODEL_SECONDS = 5;

    public static Failure of(Throwable e) {
        if (e instanceof ImageRejected rejected) {
            return switch (rejected.reason()) {
                case EMPTY, UNDECODABLE -> plain(400, Status.Code.INVALID_ARGUMENT, e);
                case UNSUPPORTED_FORMAT -> plain(415, Status.Code.INVALID_ARGUMENT, e);
                case TOO_MANY_BYTES, TOO_MANY_PIXELS -> plain(413, Status.Code.RESOURCE_EXHAUSTED, e);
            };
        }
        if (e instanceof InvalidRequest) {
            return plain(400, Status.Code.INVALID_ARGUMENT, e);
        }
        if (e instanceof ModelNotFound) {
            return plain(404, Status.Code.NOT_FOUND, e);
        }
        if (e instanceof Overloaded overloaded) {
            return new Failure(429, Status.Code.RESOURCE_EXHAUSTED, e.getMessage(),
                    OptionalInt.of(overloaded.retryAfterSeconds()));
        }
        if (e instanceof ModelUnavailable) {
            return new Failure(503, Status.Code.UNAVAILABLE, "no model is being served: " + e.getMessage(),
                    OptionalInt.of(RETRY_AFTER_NO_MODEL_SECONDS));
        }
        if (e instanceof QueueTimeout) {
            return plain(503, Status.Code.UNAVAILABLE, e);
        }
        String id = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        LOG.errorf(e, "Unexpected failure while answering a request (error id %s)", id);
        return new Failure(500, Status.Code.INTERNAL, "internal error (error id " + id + " in the service's log)",
                OptionalInt.empty());
    }

    private static Failure plain(int http, Status.Code grpc, Throwable e) {
        return new Failure(http, grpc, e.getMessage(), OptionalInt.empty());
    }
}
