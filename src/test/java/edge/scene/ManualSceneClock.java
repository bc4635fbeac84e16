package edge.scene;

import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A scene clock that moves only when told to. Plain {@code new} in unit tests; in a Quarkus test, a profile enables
 * it with {@code getEnabledAlternatives()} (it is off everywhere else).
 */
@Alternative
@Singleton
public class ManualSceneClock implements SceneClock {

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanos() {
        return nanos.get();
    }

    public void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }
}
