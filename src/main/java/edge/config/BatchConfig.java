package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;
import java.util.OptionalInt;

/** The inference scheduler in front of every model call: queue, batching, back-pressure. */
@ConfigMapping(prefix = "edge.batch")
public interface BatchConfig {

    /** Most images in one ONNX Runtime call; 1 disables batching. Only models whose batch is dynamic are batched. */
    @WithDefault("1")
    int maxSize();

    /** How long the dispatcher waits for more requests to fill a batch once it has one. */
    @WithDefault("5ms")
    Duration maxDelay();

    /** Requests admitted at once (being decoded, queued or inferred); one more is refused with 429. */
    @WithDefault("32")
    int queueSize();

    /** A request still queued after this long is answered 503 and never reaches the model. */
    @WithDefault("10s")
    Duration timeout();

    /**
     * Inference threads, each running one call at a time on the shared session; default: 2 (1 on a single core).
     * Together with {@code edge.model.threads} (default: processors / workers) this splits the cores between
     * parallel calls and parallelism inside a call; BENCHMARKS.md has the measurements behind the default.
     */
    OptionalInt workers();

    default int effectiveWorkers() {
        return workers().orElse(Math.min(2, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * When batching is on and the model's batch is fixed at 1, rewrite the graph to a symbolic batch at load time
     * (see BatchRewrite); models with dynamic activation quantization are never batched.
     */
    @WithDefault("true")
    boolean rewrite();
}
