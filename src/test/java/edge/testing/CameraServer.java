package edge.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * A fake IP camera on 127.0.0.1 serving the shared images: {@code /bus.jpg}, {@code /zidane.jpg} (JPEG snapshots),
 * {@code /mjpeg} (an endless {@code multipart/x-mixed-replace} stream of bus.jpg, 5 frames a second),
 * {@code /broken} (500), {@code /garbage} (200 with text that is no image), {@code /hang-snapshot} (never answers)
 * and {@code /hang-mjpeg} (a stream that stops in the middle of its first frame).
 */
public final class CameraServer implements AutoCloseable {

    private final HttpServer server;

    private CameraServer(HttpServer server) {
        this.server = server;
    }

    public static CameraServer start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            server.createContext("/bus.jpg", ex -> send(ex, 200, "image/jpeg", Fixtures.imageBytes("bus.jpg")));
            server.createContext("/zidane.jpg", ex -> send(ex, 200, "image/jpeg", Fixtures.imageBytes("zidane.jpg")));
            server.createContext("/broken", ex -> send(ex, 500, "text/plain", "camera fault".getBytes()));
            server.createContext("/garbage", ex -> send(ex, 200, "image/jpeg", "no picture here".getBytes()));
            server.createContext("/mjpeg", CameraServer::stream);
            server.createContext("/hang-snapshot", ex -> sleep());
            server.createContext("/hang-mjpeg", CameraServer::hangingStream);
            server.setExecutor(Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "fake-camera");
                t.setDaemon(true);
                return t;
            }));
            server.start();
            return new CameraServer(server);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    private static void send(HttpExchange exchange, int status, String type, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private static void stream(HttpExchange exchange) throws IOException {
        byte[] frame = Fixtures.imageBytes("bus.jpg");
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
        exchange.sendResponseHeaders(200, 0);
        try (OutputStream out = exchange.getResponseBody()) {
            while (true) {
                out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length + "\r\n\r\n")
                        .getBytes(StandardCharsets.US_ASCII));
                out.write(frame);
                out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread.sleep(200);
            }
        } catch (IOException | InterruptedException e) {
            // The client went away: the stream ends.
        }
    }

    /** A camera that accepts the request and never answers. */
    private static void sleep() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** An MJPEG stream that sends half of its first frame, then nothing more. */
    private static void hangingStream(HttpExchange exchange) throws IOException {
        byte[] frame = Fixtures.imageBytes("bus.jpg");
        exchange.getResponseHeaders().set("Content-Type", "multipart/x-mixed-replace; boundary=frame");
        exchange.sendResponseHeaders(200, 0);
        OutputStream out = exchange.getResponseBody();
        out.write(("--frame\r\nContent-Type: image/jpeg\r\nContent-Length: " + frame.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.write(frame, 0, frame.length / 2);
        out.flush();
        sleep();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
