package edge.model;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import edge.model.ModelContract.TensorSpec;
import edge.digest.Digest;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * Opens an ONNX file as a YOLO detection model: creates the session, reads the contract from its tensors and
 * metadata, and runs one warm-up inference so that the first request does not pay for lazy initialisation.
 */
public final class ModelLoader {

    private static final Logger LOG = Logger.getLogger(ModelLoader.class);

    /** Grey, as a letterbox pads: a warm-up on it exercises the same kernels as a real image. */
    private static final float WARM_UP_PIXEL = 114f / 255f;

    private final int threads;
    private final boolean spinning;
    private final boolean rewriteForBatching;

    public ModelLoader(int threads) {
        this(threads, true, false);
    }

    /**
     * @param rewriteForBatching give a fixed-batch model a symbolic batch at load time (see {@link BatchRewrite})
     */
    public ModelLoader(int threads, boolean spinning, boolean rewriteForBatching) {
        if (threads < 1) {
            throw new IllegalArgumentException("edge.model.threads must be at least 1, got " + threads);
        }
        this.threads = threads;
        this.spinning = spinning;
        this.rewriteForBatching = rewriteForBatching;
    }

    public int threads() {
        return threads;
    }

    /**
     * @param name the name to serve it under; empty: the file name without {@code .onnx}
     */
    public LoadedModel load(Path path, Optional<String> name) throws ModelRejected {
        return load(path, name, Optional.empty());
    }

    /**
     * @param version the version to serve it under (a registry artifact's own); empty: read from the model
     */
    public LoadedModel load(Path path, Optional<String> name, Optional<String> version) throws ModelRejected {
        long start = System.nanoTime();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw new ModelRejected(ModelRejected.Kind.UNREADABLE, "no readable model file at " + path.toAbsolutePath(),
                    null);
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new ModelRejected(ModelRejected.Kind.UNREADABLE, "cannot read " + path + ": " + e.getMessage(), e);
        }
        // The digest and the graph analysis are plain Java over the same bytes: they run on another core while ONNX
        // Runtime builds the session (about a tenth of a second off every start, BENCHMARKS.md "Start time").
        CompletableFuture<String> digest = CompletableFuture.supplyAsync(() -> Digest.of(bytes).hex());
        CompletableFuture<BatchRewrite.Result> analysis = CompletableFuture.supplyAsync(() -> analyse(bytes, path));
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession session;
        try (OrtSession.SessionOptions options = sessionOptions()) {
            session = env.createSession(bytes, options);
        } catch (OrtException e) {
            throw new ModelRejected(ModelRejected.Kind.NOT_ONNX, "ONNX Runtime cannot load " + path.getFileName() + " as an ONNX model: "
                    + e.getMessage(), e);
        }
        String sha256;
        BatchRewrite.Result batched;
        try {
            sha256 = digest.join();
            batched = analysis.join();
        } catch (CompletionException e) {
            closeQuietly(session);
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
        try {
            Map<String, String> metadata = session.getMetadata().getCustomMetadata();
            ModelContract contract = ModelContract.of(specs(session.getInputInfo()), specs(session.getOutputInfo()),
                    metadata);
            boolean independent = batched != null && !batched.batchChangesResults();
            if (rewriteForBatching && !contract.batchDynamic() && independent) {
                session = replace(session, env, batched.model());
                contract = ModelContract.of(specs(session.getInputInfo()), specs(session.getOutputInfo()), metadata);
                LOG.infof("Rewrote %s to a dynamic batch (%d reshapes) so requests can share a call",
                        path.getFileName(), batched.reshapes());
            } else if (rewriteForBatching && batched != null && batched.batchChangesResults()) {
                LOG.infof("%s quantizes activations dynamically (one scale per tensor): its images are not batched, "
                        + "so that no answer depends on the other requests of a batch", path.getFileName());
            }
            ModelInfo info = new ModelInfo(name.orElseGet(() -> stem(path)),
                    version.isPresent() ? version.get() : version(session, metadata), sha256);
            LoadedModel model = new LoadedModel(env, session, contract, info, contract.batchDynamic() && independent);
            long loaded = System.nanoTime();
            warmUp(model);
            long warm = System.nanoTime();
            LOG.infof("Loaded model %s version %s (sha256 %s) from %s: input %s %dx%d, %d classes, output %s, "
                            + "batch %s, %d threads (spinning %s); load %d ms, warm-up %d ms",
                    info.name(), info.version(), sha256, path, contract.inputName(), contract.inputWidth(),
                    contract.inputHeight(), contract.numClasses(), contract.outputName(),
                    contract.batchDynamic() ? "dynamic" : "1", threads, spinning ? "on" : "off",
                    (loaded - start) / 1_000_000, (warm - loaded) / 1_000_000);
            return model;
        } catch (OrtException | RuntimeException e) {
            closeQuietly(session);
            throw new ModelRejected(path.getFileName() + " is not a usable YOLO detection model: " + e.getMessage(), e);
        }
    }

    /** The batch analysis of the graph, or null when the file cannot be read as ONNX (ONNX Runtime will say why). */
    private static BatchRewrite.Result analyse(byte[] bytes, Path path) {
        try {
            return BatchRewrite.rewrite(bytes);
        } catch (ModelRejected e) {
            LOG.debugf("%s: no batch analysis: %s", path.getFileName(), e.getMessage());
            return null;
        }
    }

    private OrtSession replace(OrtSession old, OrtEnvironment env, byte[] model) throws OrtException {
        closeQuietly(old);
        try (OrtSession.SessionOptions options = sessionOptions()) {
            return env.createSession(model, options);
        }
    }

    private OrtSession.SessionOptions sessionOptions() throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        options.setIntraOpNumThreads(threads);
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.addConfigEntry("session.intra_op.allow_spinning", spinning ? "1" : "0");
        return options;
    }

    private static void warmUp(LoadedModel model) throws OrtException {
        int floats = 3 * model.contract().inputWidth() * model.contract().inputHeight();
        ByteBuffer grey = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
        for (int i = 0; i < floats; i++) {
            grey.putFloat(i * Float.BYTES, WARM_UP_PIXEL);
        }
        model.run(grey, 1);
    }

    private static List<TensorSpec> specs(Map<String, NodeInfo> nodes) {
        List<TensorSpec> specs = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (node.getInfo() instanceof TensorInfo tensor) {
                specs.add(new TensorSpec(node.getName(), tensor.type.name(), tensor.getShape()));
            } else {
                specs.add(new TensorSpec(node.getName(), node.getInfo().getClass().getSimpleName(), new long[0]));
            }
        }
        return specs;
    }

    /**
     * The ONNX model_version when the exporter set one, else the {@code version} metadata, else "unversioned".
     * ONNX Runtime reports an unset model_version as Long.MAX_VALUE.
     */
    private static String version(OrtSession session, Map<String, String> metadata) throws OrtException {
        long modelVersion = session.getMetadata().getVersion();
        if (modelVersion > 0 && modelVersion != Long.MAX_VALUE) {
            return Long.toString(modelVersion);
        }
        String version = metadata.get("version");
        return version == null || version.isBlank() ? "unversioned" : version;
    }

    static String stem(Path path) {
        String file = path.getFileName().toString();
        return file.toLowerCase().endsWith(".onnx") ? file.substring(0, file.length() - 5) : file;
    }

    private static void closeQuietly(OrtSession session) {
        try {
            session.close();
        } catch (OrtException e) {
            LOG.warn("closing a refused model's session failed", e);
        }
    }
}
