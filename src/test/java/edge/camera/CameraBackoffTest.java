package edge.camera;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failing camera waits twice as long after each failure in a row, up to its max-backoff; no sleeps needed. */
class CameraBackoffTest {

    private static Camera camera(Duration interval, Duration maxBackoff) {
        return new Camera("door", "http://127.0.0.1:1/x", interval, maxBackoff, false, null, List.of(), null);
    }

    @Test
    void theIntervalWhileItWorksThenDoublingUpToMaxBackoff() {
        Camera camera = camera(Duration.ofSeconds(2), Duration.ofSeconds(10));
        assertEquals(Duration.ofSeconds(2), camera.nextDelay());
        camera.failed("timeout");
        assertEquals(Duration.ofSeconds(4), camera.nextDelay());
        camera.failed("timeout");
        assertEquals(Duration.ofSeconds(8), camera.nextDelay());
        camera.failed("timeout");
        assertEquals(Duration.ofSeconds(10), camera.nextDelay());
        assertEquals(3, camera.failuresInRow());
    }

    @Test
    void aMaxBackoffBelowTheIntervalNeverWaitsLessThanTheInterval() {
        Camera camera = camera(Duration.ofSeconds(5), Duration.ofSeconds(1));
        camera.failed("HTTP 500");
        assertEquals(Duration.ofSeconds(5), camera.nextDelay());
    }
}
