package edge.registry.it;

import edge.testing.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * README.md: after a failure to reach the registry the box retries after {@code edge.registry.retry-min}, doubling up
 * to the poll interval. With retry-min 1 s and poll-interval 5 s, a registry that refuses connections is tried again
 * after 1 s, 2 s, 4 s, then 5 s: the delays the repository announces ("Next attempt in ...", captured from its
 * logger from before the service starts) and the time that really passes between the attempts.
 */
@QuarkusTest
@TestProfile(RetryBackoffTest.UnreachableRegistry.class)
class RetryBackoffTest {

    /** Where the resource leaves the captured lines ("millis|delay|failures"), as JDK types across class loaders. */
    static final String LINES = "edge.test.retry-backoff.lines";
    private static final Pattern NEXT = Pattern.compile("Next attempt in (\\S+) \\(failure (\\d+) in a row\\)");

    public static class UnreachableRegistry implements QuarkusTestProfile {
        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(CaptureRetries.class));
        }
    }

    public static class CaptureRetries implements QuarkusTestResourceLifecycleManager {
        private final Logger logger = Logger.getLogger("edge.registry.ModelRepository");
        private Handler handler;
        private Path store;

        @Override
        public Map<String, String> start() {
            List<String> lines = new CopyOnWriteArrayList<>();
            System.getProperties().put(LINES, lines);
            handler = new Handler() {
                @Override
                public void publish(LogRecord record) {
                    String text = record.getMessage();
                    Object[] parameters = record.getParameters();
                    if (text != null && text.startsWith("Next attempt in") && parameters != null
                            && parameters.length == 2) {
                        text = "Next attempt in " + parameters[0] + " (failure " + parameters[1] + " in a row)";
                    }
                    Matcher m = text == null ? null : NEXT.matcher(text);
                    if (m != null && m.find()) {
                        lines.add(record.getMillis() + "|" + m.group(1) + "|" + m.group(2));
                    }
                }

                @Override
                public void flush() {
                }

                @Override
                public void close() {
                }
            };
            logger.addHandler(handler);
            try {
                store = Files.createTempDirectory("edge-retry-store");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of(
                    "edge.model.path", "",
                    "edge.model.store", store.toString(),
                    // Nothing listens there: every check fails at once with "connection refused" (unreachable).
                    "edge.registry.url", "http://127.0.0.1:" + Ports.closed(),
                    "edge.registry.repository", RegistryFixture.REPOSITORY,
                    "edge.registry.tag", "stable",
                    "edge.registry.poll-interval", "5s",
                    "edge.registry.poll-jitter", "0s",
                    "edge.registry.retry-min", "1s");
        }

        @Override
        public void stop() {
            logger.removeHandler(handler);
            System.getProperties().remove(LINES);
            store.toFile().delete();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void anUnreachableRegistryIsTriedAgainAfter1Then2Then4SecondsUpToThePollInterval() throws InterruptedException {
        List<String> lines = (List<String>) System.getProperties().get(LINES);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (lines.size() < 4 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(lines.size() >= 4, "four failed checks in a row: " + lines);
        List<Long> at = new ArrayList<>();
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            String[] parts = lines.get(i).split("\\|");
            at.add(Long.parseLong(parts[0]));
            delays.add(Duration.parse(parts[1]));
            assertEquals(Integer.toString(i + 1), parts[2], "failure count: " + lines);
        }
        assertEquals(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4), Duration.ofSeconds(5)),
                delays, "announced delays: " + lines);
        // The next failure is logged one (failed) attempt after the announced delay.
        for (int i = 0; i < 3; i++) {
            long waited = at.get(i + 1) - at.get(i);
            long announced = delays.get(i).toMillis();
            assertTrue(waited >= announced - 20 && waited < announced + 1000,
                    "attempt " + (i + 2) + " came " + waited + " ms after failure " + (i + 1) + ", announced "
                            + announced + " ms: " + lines);
        }
    }
}
