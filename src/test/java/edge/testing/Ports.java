package edge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Ports of 127.0.0.1 for tests that need an address nothing answers on. */
public final class Ports {

    private Ports() {
    }

    /**
     * A port of 127.0.0.1 that refuses connections: one the system just gave this process and that was closed again,
     * so nothing listens there (rather than assuming that a well-known port such as 9 is closed on every machine).
     * The system hands ephemeral ports out in turn, so it is not given to another socket again soon.
     */
    public static int closed() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
