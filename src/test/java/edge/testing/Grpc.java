package edge.testing;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.URL;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real gRPC client channel to the service under test, and status assertions. */
public final class Grpc {

    private Grpc() {
    }

    /** Plaintext HTTP/2 to the service's own HTTP port (gRPC and REST share it). */
    public static ManagedChannel channel(URL base) {
        return ManagedChannelBuilder.forAddress("127.0.0.1", base.getPort()).usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024).build();
    }

    public static void assertStatus(Status.Code code, String messagePart, Runnable call) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, call::run);
        assertEquals(code, e.getStatus().getCode(), String.valueOf(e.getStatus()));
        String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains(messagePart), description);
    }
}
