package edge.retry;

import java.time.Duration;

/**
 * Waits that double with every failure in a row, from {@code first} up to {@code max}: how a camera that fails and a
 * registry that cannot be reached are retried. One rule for both, so an operator reads one behaviour in the logs.
 *
 * @param first the wait after the first failure
 * @param max   the longest wait (a {@code max} below {@code first} means {@code first})
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || first.isZero()) {
            throw new IllegalArgumentException("the first wait must be positive, got " + first);
        }
    }

    /** The wait after {@code failures} failures in a row (1 = the first): first, 2 x first, 4 x first, ... up to max. */
    public Duration after(int failures) {
        Duration cap = max.compareTo(first) > 0 ? max : first;
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(cap) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(cap) > 0 ? cap : wait;
    }
}
