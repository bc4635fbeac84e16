package edge.registry.oci;

import java.util.Map;
import java.util.Objects;

/**
 * An OCI content descriptor: what a manifest says about a blob (config or layer) or another manifest.
 *
 * @param digest      {@code sha256:<64 hex>}; other algorithms are refused when the descriptor is used
 * @param size        in bytes, not negative
 * @param annotations never null; an immutable copy
 */
public record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {

    public Descriptor {
        Objects.requireNonNull(mediaType, "mediaType");
        Objects.requireNonNull(digest, "digest");
        if (size < 0) {
            throw new IllegalArgumentException("descriptor size must not be negative, got " + size);
        }
        annotations = annotations == null ? Map.of() : Map.copyOf(annotations);
    }

    public Descriptor(String mediaType, String digest, long size) {
        this(mediaType, digest, size, Map.of());
    }
}
