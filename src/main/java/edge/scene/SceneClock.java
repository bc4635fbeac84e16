package edge.scene;

/**
 * Where the scene cache reads the time for its scenes' ages: monotonic nanoseconds, like {@link System#nanoTime}.
 * A bean of its own so that tests can set the time by hand instead of waiting for a scene to grow old.
 */
@FunctionalInterface
public interface SceneClock {

    long nanos();
}
