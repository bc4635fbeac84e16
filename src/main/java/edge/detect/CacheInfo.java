package edge.detect;

/**
 * What a response says about the scene cache: whether it answered, how old its answer is, which scene. Part of
 * {@link DetectionResult}, so it lives beside it; the scene cache produces it.
 */
public record CacheInfo(boolean hit, long ageMs, String scene) {
}
