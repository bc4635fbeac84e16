package edge.registry;

import edge.config.StartupRefused;
import edge.config.DetectConfig;
import edge.config.ModelConfig;
import edge.config.RegistryConfig;
import edge.detect.DetectParams;
import edge.image.ImageDecoder;
import edge.model.LoadedModel;
import edge.model.ModelInfo;
import edge.model.ModelRejected;
import edge.model.ModelService;
import edge.registry.PullFailure.Reason;
import edge.registry.RegistryStatus.Following;
import edge.registry.RegistryStatus.PullResult;
import edge.registry.RegistryStatus.Serving;
import edge.registry.RegistryStatus.Status;
import edge.registry.RegistryStatus.Version;
import edge.digest.Digest;
import edge.registry.oci.OciReader;
import edge.retry.Backoff;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.sign.SignatureVerifier;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides which model serves: the last good one from the store (or {@code edge.model.path}) at start, then whatever
 * the followed tag points at once it is pulled and validated, unless an operator pinned a version. Every change of
 * model goes through one thread, so that polls and admin calls never race.
 */
@ApplicationScoped
public class ModelRepository {

    private static final Logger LOG = Logger.getLogger(ModelRepository.class);
    private static final Duration ADMIN_WAIT = Duration.ofMinutes(10);

    private final ModelConfig modelConfig;
    private final RegistryConfig config;
    private final ModelService models;
    private final MeterRegistry metrics;
    private final DetectParams canaryParams;
    private final ImageDecoder decoder;
    private final Clock clock = Clock.systemUTC();

    private ModelStore store;
    private ModelPuller puller;
    private ModelValidator validator;
    private ScheduledExecutorService executor;
    private ScheduledFuture<?> nextPoll;
    private volatile Instant nextPullAt;

    // Written on the executor (or at start, before it exists); read by status().
    private volatile Serving serving;
    private volatile PullResult lastPull;
    private volatile Gauge servingGauge;
    private final RefusedDigests refused = new RefusedDigests(64);
    /** Meters created once: pulls by outcome, failures by reason. */
    private final Map<PullOutcome, Counter> pulls = new EnumMap<>(PullOutcome.class);
    private final Map<Reason, Counter> failures = new EnumMap<>(Reason.class);
    private int failuresInRow;

    public ModelRepository(ModelConfig modelConfig, RegistryConfig config, DetectConfig detect, ImageDecoder decoder,
                           ModelService models, MeterRegistry metrics) {
        this.modelConfig = modelConfig;
        this.config = config;
        this.models = models;
        this.metrics = metrics;
        this.canaryParams = new DetectParams(detect.conf(), detect.iou(), detect.maxDet(), Set.of());
        this.decoder = decoder;
        for (PullOutcome outcome : PullOutcome.values()) {
            pulls.put(outcome, Counter.builder("edge.model.pulls").description("Checks of the followed tag, by outcome")
                    .tag("outcome", outcome.toString()).register(metrics));
        }
        for (Reason reason : Reason.values()) {
            failures.put(reason, Counter.builder("edge.model.pull.failures")
                    .description("Pulls that ended without a new model, by reason").tag("reason", reason.tag())
                    .register(metrics));
        }
    }

    void onStart(@Observes StartupEvent event) throws IOException {
        validator = new ModelValidator(models.loader(), canaries(), decoder, canaryParams, servedName());
        if (config.url().isPresent()) {
            openRegistry();
        }
        if (!serveFromStore()) {
            serveFromPath();
        }
        if (puller != null) {
            executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "edge-model-registry");
                thread.setDaemon(true);
                return thread;
            });
            // A box with nothing to serve asks at once; the others wait a random part of the jitter.
            schedule(serving == null ? Duration.ZERO : jitter());
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void openRegistry() throws IOException {
        String url = config.url().get().toString();
        if (url.contains("REGISTRY_HOST")) {
            throw new StartupRefused("edge.registry.url is " + url + ": REGISTRY_HOST is the placeholder of the "
                    + "shipped profiles, replace it with your registry's host (k3s/README.md, \"Before the first "
                    + "apply\")");
        }
        String repository = config.repository().orElseThrow(() -> new StartupRefused(
                "edge.registry.url is set but edge.registry.repository is not: which repository holds the models?"));
        Path root = modelConfig.store().orElseThrow(() -> new StartupRefused(
                "edge.registry.url is set but edge.model.store is not: pulled models need a folder that survives "
                        + "restarts (e.g. /var/lib/edge/models)"));
        store = new ModelStore(root, modelConfig.keep());
        Optional<SignatureVerifier> verifier = Optional.empty();
        if (config.publicKey().isPresent()) {
            try {
                verifier = Optional.of(SignatureVerifier.fromPem(config.publicKey().get()));
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new StartupRefused("edge.registry.public-key " + config.publicKey().get()
                        + " is not a usable EC P-256 public key in PEM: " + e.getMessage(), e);
            }
            LOG.infof("Models from %s must be signed by key %s", url, verifier.get().keyFingerprint());
        } else {
            LOG.warnf("edge.registry.public-key is not set: models from %s are used WITHOUT checking signatures", url);
        }
        OciReader client = new OciReader(new RegistryEndpoint(config.url().get(), config.username(),
                config.password(), config.token(), config.caFile(), config.timeout()));
        puller = new ModelPuller(client, repository, verifier, store, validator,
                config.maxModelBytes().asLongValue(), clock);
        LOG.infof("Following %s/%s:%s every %s (+ up to %s jitter), store %s keeping %d versions", url, repository,
                config.tag(), config.pollInterval(), config.pollJitter(), root, modelConfig.keep());
    }

    /** The name every version is served under: {@link ServedName}. */
    Optional<String> servedName() {
        return ServedName.of(modelConfig.name(), config.url().isPresent() ? config.repository() : Optional.empty());
    }

    private List<ModelValidator.CanaryImage> canaries() {
        List<ModelValidator.CanaryImage> canaries = new ArrayList<>();
        config.canary().forEach((name, canary) -> {
            try {
                canaries.add(new ModelValidator.CanaryImage(name, canary.image(), Files.readAllBytes(canary.image()),
                        ModelValidator.CanaryImage.parseExpect(canary.expect().orElse(""))));
            } catch (IOException e) {
                throw new StartupRefused("canary image edge.registry.canary." + name + ".image = "
                        + canary.image() + " cannot be read: " + e.getMessage(), e);
            }
        });
        return canaries;
    }

    /** The pinned version, else the last serving one, else the newest that still loads. */
    private boolean serveFromStore() {
        if (store == null) {
            return false;
        }
        ModelStore.State state = store.state();
        for (ModelStore.StoredModel version : StartupChoice.order(store.versions(), state.pinned(), state.current())) {
            try {
                serve(loadStored(version), version, ModelSource.STORE);
                return true;
            } catch (PullFailure e) {
                LOG.errorf("Stored version %s (%s %s) cannot serve: %s; trying the next one", version.digest(),
                        version.name(), version.version(), e.getMessage());
            }
        }
        return false;
    }

    private void serveFromPath() {
        Optional<Path> path = modelConfig.path();
        if (path.isEmpty()) {
            String why = puller != null
                    ? "waiting for the first model from " + config.url().get() + "/" + config.repository().get()
                    + ":" + config.tag()
                    : "no model configured: set edge.model.path (env EDGE_MODEL_PATH) to a YOLO ONNX file";
            models.unavailable(why);
            LOG.warn(why + "; detection requests are answered 503 until a model is loaded");
            return;
        }
        try {
            LoadedModel model = models.loader().load(path.get(), servedName());
            models.swap(model);
            serving(model.info(), null, ModelSource.PATH);
        } catch (ModelRejected e) {
            models.unavailable(e.getMessage());
            LOG.error("Model refused, the service stays unready: " + e.getMessage());
        }
    }

    private LoadedModel loadStored(ModelStore.StoredModel version) throws PullFailure {
        Path file;
        try {
            file = store.verifiedFile(version);
        } catch (IOException e) {
            throw new PullFailure(Reason.STORE, e.getMessage(), e);
        }
        return validator.validate(file, version.config());
    }

    // --- polling ---

    private Duration jitter() {
        long max = config.pollJitter().toMillis();
        return Duration.ofMillis(max <= 0 ? 0 : ThreadLocalRandom.current().nextLong(max + 1));
    }

    private synchronized void schedule(Duration delay) {
        if (nextPoll != null) {
            nextPoll.cancel(false);
        }
        nextPullAt = clock.instant().plus(delay);
        nextPoll = executor.schedule(this::poll, delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        Duration delay = config.pollInterval();
        try {
            PullResult result = check(false);
            if (result.outcome() == PullOutcome.FAILED) {
                failuresInRow++;
                delay = new Backoff(config.retryMin(), config.pollInterval()).after(failuresInRow);
                LOG.infof("Next attempt in %s (failure %d in a row)", delay, failuresInRow);
            } else {
                failuresInRow = 0;
            }
        } catch (RuntimeException e) {
            LOG.error("Checking the registry failed unexpectedly; trying again at the next poll", e);
        } finally {
            schedule(delay.plus(jitter()));
        }
    }

    /** One check of the tag; on the executor only. */
    private PullResult check(boolean force) {
        String pinned = store.state().pinned();
        if (pinned != null) {
            return record(new PullResult(clock.instant(), PullOutcome.PINNED, pinned, null,
                    "pinned to " + pinned + ": not following tag " + config.tag()));
        }
        String digest = null;
        try {
            digest = puller.resolve(config.tag());
            if (serving != null && digest.equals(serving.digest())) {
                return record(new PullResult(clock.instant(), PullOutcome.UP_TO_DATE, digest, null,
                        config.tag() + " still points at the serving model"));
            }
            PullResult earlier = refused.earlier(digest).orElse(null);
            if (earlier != null && !force) {
                return record(new PullResult(clock.instant(), PullOutcome.STILL_REFUSED, digest, earlier.reason(),
                        earlier.message() + " (refused at " + earlier.at() + "; POST /models/pull checks it again)"));
            }
            switchTo(digest, config.tag());
            refused.forget(digest);
            return record(new PullResult(clock.instant(), PullOutcome.UPDATED, digest, null,
                    "now serving " + serving.name() + " " + serving.version()));
        } catch (PullFailure e) {
            PullResult result = new PullResult(clock.instant(),
                    e.reason().refusal ? PullOutcome.REFUSED : PullOutcome.FAILED, digest,
                    e.reason().tag(), e.getMessage());
            // A refused artifact needs a person; an unreachable registry usually heals by itself.
            LOG.logf(e.reason().refusal ? Logger.Level.ERROR : Logger.Level.WARN, "Model %s %s [%s] (%s); still "
                            + "serving %s", digest == null ? config.tag() : digest,
                    e.reason().refusal ? "REFUSED" : "not pulled", e.reason().tag(), e.getMessage(),
                    describe(serving));
            failures.get(e.reason()).increment();
            if (e.reason().refusal && digest != null) {
                refused.remember(digest, result);
            }
            return record(result);
        }
    }

    /** Serves a digest: from the store when it is there already, else pulled and validated. */
    private void switchTo(String digest, String tag) throws PullFailure {
        Optional<ModelStore.StoredModel> stored = store.find(digest);
        if (stored.isPresent()) {
            try {
                serve(loadStored(stored.get()), stored.get(), ModelSource.STORE);
                return;
            } catch (PullFailure e) {
                if (e.reason() != Reason.STORE) {
                    throw e;
                }
                LOG.warnf("The stored copy of %s is unusable (%s): deleting it and downloading it again", digest,
                        e.getMessage());
                store.remove(digest);
            }
        }
        ModelPuller.Candidate candidate = puller.fetch(digest, tag);
        serve(candidate.model(), candidate.stored(), ModelSource.REGISTRY);
    }

    private void serve(LoadedModel model, ModelStore.StoredModel version, ModelSource source) throws PullFailure {
        models.swap(model);
        serving(model.info(), version.digest(), source);
        LOG.infof("Serving %s %s (%s, from the %s)", model.info().name(), model.info().version(), version.digest(),
                source);
        try {
            store.setState(new ModelStore.State(version.digest(), store.state().pinned()));
        } catch (IOException e) {
            throw new PullFailure(Reason.STORE, "serving " + version.digest() + " but cannot record it in "
                    + store.root() + ": " + e.getMessage(), e);
        }
        for (String deleted : store.prune()) {
            LOG.infof("Deleted old version %s from the store (edge.model.keep=%d)", deleted, modelConfig.keep());
        }
    }

    private void serving(ModelInfo info, String digest, ModelSource source) {
        serving = new Serving(info.name(), info.version(), info.sha256(), digest, source);
        Gauge previous = servingGauge;
        servingGauge = Gauge.builder("edge.model.info", () -> 1)
                .description("The model serving now (value 1), by name, version and manifest digest")
                .tags("name", info.name(), "version", info.version(), "digest", digest == null ? "" : digest)
                .register(metrics);
        if (previous != null && !previous.getId().equals(servingGauge.getId())) {
            metrics.remove(previous);
        }
    }

    private PullResult record(PullResult result) {
        lastPull = result;
        pulls.get(result.outcome()).increment();
        if (!result.failed()) {
            LOG.debugf("Pull: %s %s", result.outcome(), result.message());
        }
        return result;
    }

    private static String describe(Serving s) {
        return s == null ? "nothing" : s.name() + " " + s.version();
    }

    // --- operator actions (admin API) ---

    /** Signals an operator action that cannot be done in the current state (answered 409). */
    public static final class Conflict extends RuntimeException {
        public Conflict(String message) {
            super(message);
        }
    }

    /** Checks the tag now, even for a digest refused before. */
    public PullResult pullNow() {
        requireRegistry();
        return onExecutor(() -> {
            PullResult result = check(true);
            schedule(config.pollInterval().plus(jitter()));
            return result;
        });
    }

    /** Serves the version before the serving one and pins it, so the next poll does not undo the rollback. */
    public Status rollback() {
        requireRegistry();
        return onExecutor(() -> {
            List<ModelStore.StoredModel> versions = store.versions();
            String current = serving == null ? null : serving.digest();
            int at = -1;
            for (int i = 0; i < versions.size(); i++) {
                if (versions.get(i).digest().equals(current)) {
                    at = i;
                }
            }
            if (at < 0 || at + 1 >= versions.size()) {
                throw new Conflict("no older version in the store to roll back to (versions: " + versions.size()
                        + ", serving " + (current == null ? "a model not from the store" : current) + ")");
            }
            pinTo(versions.get(at + 1).digest());
            return status();
        });
    }

    /** Serves a digest (from the store, else pulled from the registry and validated) and stops following the tag. */
    public Status pin(String digest) {
        requireRegistry();
        if (!Digest.isValid(digest)) {
            throw new edge.detect.InvalidRequest("digest must be sha256:<64 hex digits>, got " + digest);
        }
        return onExecutor(() -> {
            pinTo(digest);
            return status();
        });
    }

    /** Follows the tag again and checks it at once. */
    public Status unpin() {
        requireRegistry();
        return onExecutor(() -> {
            store.setState(new ModelStore.State(store.state().current(), null));
            LOG.infof("Unpinned: following %s again", config.tag());
            check(true);
            schedule(config.pollInterval().plus(jitter()));
            return status();
        });
    }

    private void pinTo(String digest) throws PullFailure, IOException {
        if (serving == null || !digest.equals(serving.digest())) {
            switchTo(digest, null);
        }
        store.setState(new ModelStore.State(digest, digest));
        LOG.infof("Pinned %s: not following %s until DELETE /models/pin", digest, config.tag());
    }

    private void requireRegistry() {
        if (puller == null) {
            throw new Conflict("no registry configured (edge.registry.url): the service serves edge.model.path");
        }
    }

    private <T> T onExecutor(Callable<T> action) {
        try {
            return executor.submit(action).get(ADMIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof PullFailure failure) {
                throw new Conflict(failure.reason().tag() + ": " + failure.getMessage());
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause.getMessage(), cause);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the model registry thread is still busy after " + ADMIN_WAIT, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    public Serving serving() {
        return serving;
    }

    public PullResult lastPull() {
        return lastPull;
    }

    /** The effective registry settings, or null when no registry is followed. */
    public Following following() {
        return puller == null ? null : following(store.state().pinned());
    }

    private Following following(String pinned) {
        return new Following(config.url().get().toString(), config.repository().get(), config.tag(),
                servedName().orElse(null), pinned, config.pollInterval().toString(), config.pollJitter().toString(),
                modelConfig.store().map(Path::toString).orElse(null), modelConfig.keep(),
                config.publicKey().map(Path::toString).orElse(null), config.publicKey().isPresent(),
                config.username().isPresent() || config.token().isPresent());
    }

    public Optional<String> pinned() {
        return store == null ? Optional.empty() : Optional.ofNullable(store.state().pinned());
    }

    public Status status() {
        String pinned = store == null ? null : store.state().pinned();
        String current = serving == null ? null : serving.digest();
        List<Version> versions = store == null ? List.of() : store.versions().stream()
                .map(v -> new Version(v.digest(), v.name(), v.version(), v.tag(), v.pulledAt(), v.modelBytes(),
                        v.digest().equals(current), v.digest().equals(pinned)))
                .toList();
        Following following = puller == null ? null : following(pinned);
        return new Status(serving, following, versions, lastPull, puller == null ? null : nextPullAt);
    }
}
