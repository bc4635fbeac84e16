package edge.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Digests refused for good (bad signature, failed validation...), so polls do not download them again; the oldest
 * are forgotten first once {@code capacity} are remembered. Not thread-safe: used on the registry thread only.
 */
final class RefusedDigests {

    private final Map<String, ModelRepository.PullResult> refused;

    RefusedDigests(int capacity) {
        this.refused = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ModelRepository.PullResult> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(String digest, ModelRepository.PullResult result) {
        refused.put(digest, result);
    }

    Optional<ModelRepository.PullResult> earlier(String digest) {
        return Optional.ofNullable(refused.get(digest));
    }

    void forget(String digest) {
        refused.remove(digest);
    }
}
