package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

/** Which model the service serves and how ONNX Runtime runs it. */
@ConfigMapping(prefix = "edge.model")
public interface ModelConfig {

    /** The ONNX file to serve at start (env {@code EDGE_MODEL_PATH}). Without it the service starts unready. */
    Optional<Path> path();

    /** Name the model is served under; default: the {@code name} metadata of the model, else its file name. */
    Optional<String> name();

    /** ONNX Runtime intra-op threads per call; default: available processors / edge.batch.workers. */
    OptionalInt threads();

    /**
     * Whether ONNX Runtime's worker threads spin (busy-wait) between parallel sections instead of sleeping. Spinning
     * shaves a little off each inference on an idle box but burns a core that decoding and HTTP need.
     */
    @WithDefault("true")
    boolean spinning();

    /**
     * Folder of the local model store: every model pulled from the registry and validated, kept across restarts so
     * that a box without its uplink serves the last good one. Needed when {@code edge.registry.url} is set.
     */
    Optional<Path> store();

    /** How many validated versions the store keeps (the serving one and the pinned one are never deleted). */
    @WithDefault("3")
    int keep();
}
