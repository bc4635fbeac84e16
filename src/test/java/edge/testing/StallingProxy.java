package edge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 in front of a real server (the registry), for fault tests: it passes everything, but
 * when told to, stops forwarding a connection's answers after a number of bytes (a registry or network that stalls
 * mid-blob), or slows them down.
 */
public final class StallingProxy implements AutoCloseable {

    private final ServerSocket server;
    private final URI upstream;
    private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stalling-proxy");
        t.setDaemon(true);
        return t;
    });
    /** Answer bytes after which a connection stalls, counted from the last change (connections are reused); -1: never. */
    private final AtomicLong stallAfter = new AtomicLong(-1);
    private final AtomicLong generation = new AtomicLong();
    /** Answer bytes per second per connection; -1: unlimited. */
    private final AtomicLong bytesPerSecond = new AtomicLong(-1);

    public StallingProxy(URI upstream) {
        this.upstream = upstream;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        pool.submit(this::accept);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    /** From now on, each new answer stream stops after {@code bytes} bytes (-1: never). */
    public void stallAfter(long bytes) {
        stallAfter.set(bytes);
        generation.incrementAndGet();
    }

    public void limitRate(long perSecond) {
        bytesPerSecond.set(perSecond);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket target = new Socket(upstream.getHost(), upstream.getPort());
                pool.submit(() -> pump(client.getInputStream(), target.getOutputStream(), false, client, target));
                pool.submit(() -> pump(target.getInputStream(), client.getOutputStream(), true, client, target));
            } catch (IOException e) {
                // closed, or the upstream is down: the client sees its connection end
            }
        }
    }

    private Void pump(InputStream in, OutputStream out, boolean answers, Socket a, Socket b) {
        byte[] buffer = new byte[8192];
        long sent = 0;
        long seenGeneration = -1;
        long baseline = 0;
        long start = System.nanoTime();
        try (a; b) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (answers) {
                    if (generation.get() != seenGeneration) {
                        seenGeneration = generation.get();
                        baseline = sent;
                    }
                    long stall = stallAfter.get();
                    if (stall >= 0 && sent - baseline + n > stall) {
                        out.write(buffer, 0, (int) Math.max(0, stall - (sent - baseline)));
                        out.flush();
                        Thread.sleep(Long.MAX_VALUE);
                    }
                }
                out.write(buffer, 0, n);
                out.flush();
                sent += n;
                long rate = answers ? bytesPerSecond.get() : -1;
                if (rate > 0) {
                    long wait = start + sent * 1_000_000_000L / rate - System.nanoTime();
                    if (wait > 0) {
                        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                    }
                }
            }
        } catch (IOException | InterruptedException e) {
            // one side went away
        }
        return null;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing
        }
        pool.shutdownNow();
    }
}
