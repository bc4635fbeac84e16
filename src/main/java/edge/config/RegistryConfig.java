package edge.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Where the fleet's models come from: an OCI registry repository and the tag (channel) this box follows. */
@ConfigMapping(prefix = "edge.registry")
public interface RegistryConfig {

    /** Registry base URL, e.g. {@code https://REGISTRY_HOST:5000}; unset: no pulling, only edge.model.path. */
    Optional<URI> url();

    /** Repository holding the model artifacts, e.g. {@code vision/yolov8n}. */
    Optional<String> repository();

    /** The channel to follow. */
    @WithDefault("stable")
    String tag();

    /** Time between checks of the tag. */
    @WithDefault("5m")
    Duration pollInterval();

    /** Up to this much random delay is added to every check, so that a fleet does not poll in step. */
    @WithDefault("30s")
    Duration pollJitter();

    /** First retry delay after a failed check (registry unreachable...); doubles up to poll-interval. */
    @WithDefault("5s")
    Duration retryMin();

    /** Basic-auth user (also used to fetch bearer tokens from the registry's token service). */
    Optional<String> username();

    /** Basic-auth password (env {@code EDGE_REGISTRY_PASSWORD}). */
    Optional<String> password();

    /** A static bearer token, for registries that hand them out directly (env {@code EDGE_REGISTRY_TOKEN}). */
    Optional<String> token();

    /** PEM file of the CA certificates to trust for an https registry (default: the JVM's trust store). */
    Optional<Path> caFile();

    /** Connect and request timeout (a blob download may take longer; it is not cut off while it progresses). */
    @WithDefault("30s")
    Duration timeout();

    /**
     * PEM public key (EC P-256) the publisher's signatures must verify with. Set: unsigned or wrongly signed models
     * are refused. Unset: signatures are not checked (a warning says so at start).
     */
    Optional<Path> publicKey();

    /** Largest model layer accepted from the registry. */
    @WithDefault("512M")
    MemorySize maxModelBytes();

    /**
     * Canary images a new model must pass before it serves, by name: {@code edge.registry.canary.bus.image=...} and
     * {@code edge.registry.canary.bus.expect=person>=3,bus>=1}. The artifact config may add expectations for the
     * same names.
     */
    Map<String, Canary> canary();

    interface Canary {
        /** The image file. */
        Path image();

        /** Minimum counts per class, e.g. {@code person>=3,bus>=1}; empty: only that the model runs on it. */
        Optional<String> expect();
    }
}
