package edge.camera;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The cameras' meters, each created once: {@code edge_camera_healthy{camera}} and
 * {@code edge_camera_frames_total{camera,outcome}} when a camera is registered, {@code edge_camera_objects
 * {camera,zone,class}} the first time a class is seen in a zone. Tags are bounded by the configuration (cameras,
 * zones) and the model's classes.
 */
final class CameraMetrics {

    /** What became of a frame. */
    enum Outcome { COUNTED, SKIPPED, FAILED }

    /** One gauge's identity; {@code zone} "" is the whole frame. */
    private record ObjectGauge(String camera, String zone, String label) {
    }

    private final MeterRegistry registry;
    private final Map<String, Map<Outcome, Counter>> frames = new ConcurrentHashMap<>();
    /** Current count per gauge: the gauges read these. */
    private final Map<ObjectGauge, AtomicInteger> objects = new ConcurrentHashMap<>();

    CameraMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void register(Camera camera) {
        Gauge.builder("edge.camera.healthy", camera, c -> c.status() == Camera.Status.FAILING ? 0 : 1)
                .description("1 while the camera delivers frames (or has not failed yet), 0 while it fails")
                .tag("camera", camera.id()).register(registry);
        Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("edge.camera.frames")
                    .description("Camera frames, by outcome (counted, skipped, failed)")
                    .tag("camera", camera.id()).tag("outcome", outcome.name().toLowerCase()).register(registry));
        }
        frames.put(camera.id(), counters);
    }

    void frame(Camera camera, Outcome outcome) {
        frames.get(camera.id()).get(outcome).increment();
    }

    /** Sets every gauge of the camera to its latest count; classes no longer in the frame read 0. */
    void objects(Camera camera, CameraCount count) {
        Map<String, Map<String, Integer>> byZone = new LinkedHashMap<>();
        byZone.put("", count.counts());
        count.zones().forEach((zone, zc) -> byZone.put(zone, zc.counts()));
        objects.forEach((key, value) -> {
            if (key.camera().equals(camera.id())) {
                value.set(byZone.getOrDefault(key.zone(), Map.of()).getOrDefault(key.label(), 0));
            }
        });
        byZone.forEach((zone, counts) -> counts.forEach((label, n) -> objects.computeIfAbsent(
                new ObjectGauge(camera.id(), zone, label), key -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder("edge.camera.objects", value, AtomicInteger::get)
                            .description("Objects in the camera's latest frame, by class and zone (\"\": whole frame)")
                            .tags("camera", key.camera(), "zone", key.zone(), "class", key.label()).register(registry);
                    return value;
                }).set(n)));
    }
}
