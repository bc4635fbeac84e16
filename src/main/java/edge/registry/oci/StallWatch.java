package edge.registry.oci;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The stall guard of a blob download. The endpoint's timeout bounds the wait for response headers only; a registry
 * (or a proxy) that stops sending mid-blob would otherwise hold the pull thread in {@code read} forever, and with it
 * every later check of the tag.
 *
 * <p>What it guarantees: once no {@link #progressed()} has been reported for longer than the timeout, a check closes
 * the download's input stream (once), which makes the blocked {@code read} fail with an IOException, and
 * {@link #fired()} says so, for the message. Checks run every quarter of the timeout (at least every 100 ms), so a
 * stall is cut off between the timeout and 1.25 times it. {@link #close()} cancels the checks: no new one starts (one
 * already running may still close the stream, harmless as the download closes it right after anyway).
 * {@code last} is written by the reading thread and {@code fired} by the timer thread; both are volatile so that
 * each sees the other's latest write.
 */
final class StallWatch implements AutoCloseable {

    /** One daemon thread for all downloads: a check only compares two numbers and, rarely, closes a stream. */
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "edge-registry-stall-watch");
        thread.setDaemon(true);
        return thread;
    });

    private final InputStream in;
    private final long timeoutNanos;
    private final ScheduledFuture<?> check;
    private volatile long last = System.nanoTime();
    private volatile boolean fired;

    /** Starts watching {@code in}: it is closed after {@code timeout} without progress. */
    StallWatch(InputStream in, Duration timeout) {
        this.in = in;
        this.timeoutNanos = timeout.toNanos();
        long period = Math.max(100, timeout.toMillis() / 4);
        this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
    }

    /** A read returned: the timeout starts again. */
    void progressed() {
        last = System.nanoTime();
    }

    /** Whether the watch closed the stream: the read failed because of a stall, not because the peer hung up. */
    boolean fired() {
        return fired;
    }

    private void check() {
        if (!fired && System.nanoTime() - last > timeoutNanos) {
            fired = true;
            try {
                in.close();
            } catch (IOException ignored) {
                // The reader sees the stream fail either way.
            }
        }
    }

    /** Stops watching; the stream itself is the caller's to close. */
    @Override
    public void close() {
        check.cancel(false);
    }
}
