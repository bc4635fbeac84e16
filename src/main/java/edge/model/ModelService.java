package edge.model;

import edge.config.BatchConfig;
import edge.config.ModelConfig;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The current model, leased to each request and swapped atomically ({@code edge.registry.ModelRepository} decides
 * which model that is).
 * Requests in flight keep the model they started with; it is closed when the last of them is done.
 */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    /**
     * The model being served and its contract, or why there is none.
     *
     * @param problem null when a model is served
     */
    public record Status(Optional<ModelInfo> model, Optional<ModelContract> contract, String problem) {
        public boolean ready() {
            return model.isPresent();
        }
    }

    private final ModelLoader loader;
    private final AtomicReference<LoadedModel> current = new AtomicReference<>();
    private volatile String problem = "no model loaded yet";
    private final Event<ModelSwapped> swapped;

    /** Fired when a model starts serving: whatever was remembered about the previous one is stale. */
    public record ModelSwapped(ModelInfo model) {
    }

    public ModelService(ModelConfig config, BatchConfig batch, Event<ModelSwapped> swapped) {
        this.swapped = swapped;
        int threads = config.threads()
                .orElse(Math.max(1, Runtime.getRuntime().availableProcessors() / batch.effectiveWorkers()));
        this.loader = new ModelLoader(threads, config.spinning(), batch.maxSize() > 1 && batch.rewrite());
    }

    /** Loads model files with this service's ONNX Runtime settings. */
    public ModelLoader loader() {
        return loader;
    }

    /** Says why nothing serves yet, while nothing does (readiness shows it). */
    public void unavailable(String reason) {
        if (current.get() == null) {
            problem = reason;
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        LoadedModel last = current.getAndSet(null);
        if (last != null) {
            last.retire();
        }
    }

    /** Makes {@code next} the model for new requests; the previous one closes when its requests are done. */
    public void swap(LoadedModel next) {
        LoadedModel previous = current.getAndSet(next);
        problem = null;
        swapped.fire(new ModelSwapped(next.info()));
        if (previous != null) {
            LOG.infof("Swapped model %s %s -> %s %s", previous.info().name(), previous.info().version(),
                    next.info().name(), next.info().version());
            previous.retire();
        }
    }

    /** A hold on the current model for one request. */
    public LoadedModel.Lease acquire() {
        while (true) {
            LoadedModel model = current.get();
            if (model == null) {
                throw new ModelUnavailable(problem == null ? "no model loaded" : problem);
            }
            LoadedModel.Lease lease = model.tryLease();
            if (lease != null) {
                return lease;
            }
            // Lost a race with a swap that retired this model: read the new current one.
        }
    }

    public Status status() {
        LoadedModel model = current.get();
        return new Status(Optional.ofNullable(model).map(LoadedModel::info),
                Optional.ofNullable(model).map(LoadedModel::contract), model == null ? problem : null);
    }
}
