package edge.detect;

import com.fasterxml.jackson.annotation.JsonInclude;
import edge.model.ModelInfo;

import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Everything one image's detection produced. Every API maps this record; none of them computes anything of its own.
 *
 * @param detections by confidence, descending
 * @param counts classes present, most frequent first, then by name
 */
public record DetectionResult(ModelInfo model, ImageSize image, List<Detection> detections,
                              Map<String, Integer> counts, Timings timings,
                              @JsonInclude(JsonInclude.Include.NON_NULL) CacheInfo cache) {

    public record ImageSize(int width, int height) {
    }

    /** Milliseconds spent in each step, and in all of them. */
    public record Timings(double decodeMs, double preprocessMs, double inferenceMs, double postprocessMs,
                          double totalMs) {
    }

    public DetectionResult {
        detections = List.copyOf(detections);
        counts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    public static DetectionResult of(ModelInfo model, ImageSize image, List<Detection> detections, Timings timings) {
        return of(model, image, detections, timings, null);
    }

    /** @param cache what the scene cache did for this image, or null when it was not consulted */
    public static DetectionResult of(ModelInfo model, ImageSize image, List<Detection> detections, Timings timings,
                                     CacheInfo cache) {
        return new DetectionResult(model, image, detections, countByClass(detections), timings, cache);
    }

    public int total() {
        return detections.size();
    }

    /** {@code person 5, car 3, bicycle 2, traffic light 1}; empty when nothing was found. */
    public String report() {
        return report(counts);
    }

    /** The report line of counts ordered as {@link #countByClass} orders them. */
    public static String report(Map<String, Integer> counts) {
        return counts.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", "));
    }

    public static Map<String, Integer> countByClass(List<Detection> detections) {
        Map<String, Integer> counts = new HashMap<>();
        for (Detection d : detections) {
            counts.merge(d.label(), 1, Integer::sum);
        }
        Map<String, Integer> ordered = new LinkedHashMap<>();
        counts.entrySet().stream()
                .sorted(Comparator.<Map.Entry<String, Integer>>comparingInt(Map.Entry::getValue).reversed()
                        .thenComparing(Map.Entry::getKey))
                .forEach(e -> ordered.put(e.getKey(), e.getValue()));
        return ordered;
    }
}
