package edge.retry;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BackoffTest {

    private static Duration s(long seconds) {
        return Duration.ofSeconds(seconds);
    }

    @Test
    void doublesFromTheFirstWaitUpToTheMax() {
        Backoff registry = new Backoff(s(1), s(10));
        assertEquals(s(1), registry.after(1));
        assertEquals(s(2), registry.after(2));
        assertEquals(s(4), registry.after(3));
        assertEquals(s(8), registry.after(4));
        assertEquals(s(10), registry.after(5));
        assertEquals(s(10), registry.after(Integer.MAX_VALUE), "no overflow however long it fails");
    }

    @Test
    void noFailureYetMeansTheFirstWaitAndAMaxBelowTheFirstMeansTheFirst() {
        assertEquals(s(3), new Backoff(s(3), s(60)).after(0));
        assertEquals(s(3), new Backoff(s(3), s(1)).after(4));
        assertEquals(s(3), new Backoff(s(3), s(3)).after(2));
    }

    @Test
    void theFirstWaitMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new Backoff(Duration.ZERO, s(1)));
        assertThrows(IllegalArgumentException.class, () -> new Backoff(s(-1), s(1)));
    }
}
