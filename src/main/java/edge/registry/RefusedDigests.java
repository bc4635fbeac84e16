package edge.registry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Digests refused for good (bad signature, failed validation...), so polls do not download them again; the oldest
 * are forgotten first once {@code capacity} are remembered. Not thread-safe: used on the registry thread only.
 */
final class RefusedDigests {

    private final Map<String, RegistryStatus.PullResult> refused;

    RefusedDigests(int capacity) {
        this.refused = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RegistryStatus.PullResult> eldest) {
                return size() > capacity;
            }
        };
    }

    void remember(String digest, RegistryStatus.PullResult result) {
        refused.put(digest, result);
    }

    Optional<RegistryStatus.PullResult> earlier(String digest) {
        return Optional.ofNullable(refused.get(digest));
    }

    void forget(String digest) {
        refused.remove(digest);
    }
}
