package edge.api;

import edge.detect.InvalidRequest;
import edge.image.ImageRejected;
import edge.model.ModelUnavailable;
import edge.scheduler.Overloaded;
import edge.scheduler.QueueTimeout;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One table for REST and gRPC: each failure's two statuses, its words, its Retry-After; nothing internal leaks. */
class FailureTest {

    private static void is(Failure f, int http, Status.Code grpc, String message, OptionalInt retryAfter) {
        assertEquals(new Failure(http, grpc, message, retryAfter), f);
    }

    @Test
    void everyKnownFailureHasItsStatuses() {
        for (ImageRejected.Reason reason : ImageRejected.Reason.values()) {
            Failure f = Failure.of(new ImageRejected(reason, "why " + reason));
            int http = switch (reason) {
                case EMPTY, UNDECODABLE -> 400;
                case UNSUPPORTED_FORMAT -> 415;
                case TOO_MANY_BYTES, TOO_MANY_PIXELS -> 413;
            };
            Status.Code grpc = http == 413 ? Status.Code.RESOURCE_EXHAUSTED : Status.Code.INVALID_ARGUMENT;
            is(f, http, grpc, "why " + reason, OptionalInt.empty());
        }
        is(Failure.of(new InvalidRequest("conf must be 0..1")), 400, Status.Code.INVALID_ARGUMENT,
                "conf must be 0..1", OptionalInt.empty());
        is(Failure.of(new ModelNotFound("no model 'x'")), 404, Status.Code.NOT_FOUND, "no model 'x'",
                OptionalInt.empty());
        is(Failure.of(new QueueTimeout("waited 10000 ms")), 503, Status.Code.UNAVAILABLE, "waited 10000 ms",
                OptionalInt.empty());
        is(Failure.of(new ModelUnavailable("loading")), 503, Status.Code.UNAVAILABLE,
                "no model is being served: loading", OptionalInt.of(Failure.RETRY_AFTER_NO_MODEL_SECONDS));
        Failure overloaded = Failure.of(new Overloaded("the queue is full", 1));
        assertEquals(429, overloaded.http());
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, overloaded.grpc());
        assertEquals(OptionalInt.of(1), overloaded.retryAfter());
    }

    @Test
    void anUnexpectedFailureTellsTheClientAnIdAndNothingElse() {
        Failure f = Failure.of(new IllegalStateException("secret path /etc/edge/keys and a NullPointer inside"));
        assertEquals(500, f.http());
        assertEquals(Status.Code.INTERNAL, f.grpc());
        assertTrue(f.message().matches("internal error \\(error id [0-9a-f]{8} in the service's log\\)"), f.message());
        assertFalse(f.message().contains("IllegalState") || f.message().contains("/etc"), f.message());
        assertFalse(Failure.of(new RuntimeException("x")).message().equals(f.message()), "each error gets its own id");
    }
}
