package edge.registry;

import edge.detect.DetectParams;
import edge.detect.Detection;
import edge.model.ModelContract;
import edge.detect.Preprocessor;
import edge.detect.YoloDecoder;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.model.ModelRejected;
import edge.registry.PullFailure.Reason;
import org.jboss.logging.Logger;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides whether a downloaded model may serve: it must load, have the YOLO layout, match what its artifact config
 * says (class names, input size) and find what the canary images must contain. Runs beside the serving model; only
 * a model that passes is handed back, warmed and ready to swap in.
 */
public final class ModelValidator {

    private static final Logger LOG = Logger.getLogger(ModelValidator.class);

    /**
     * An image of this box's own scene with the least a good model must find in it.
     *
     * @param minimum least count per class name
     */
    public record CanaryImage(String name, Path file, byte[] bytes, Map<String, Integer> minimum) {

        /** Parses {@code person>=3, bus>=1}. */
        public static Map<String, Integer> parseExpect(String expect) {
            Map<String, Integer> minimum = new LinkedHashMap<>();
            for (String part : expect.split(",")) {
                String term = part.trim();
                if (term.isEmpty()) {
                    continue;
                }
                int at = term.indexOf(">=");
                String count = at < 0 ? "" : term.substring(at + 2).trim();
                if (at <= 0 || !count.matches("\\d{1,6}")) {
                    throw new IllegalArgumentException("canary expectation '" + term + "' must look like person>=3");
                }
                minimum.put(term.substring(0, at).trim(), Integer.parseInt(count));
            }
            return minimum;
        }
    }

    private final ModelLoader loader;
    private final List<CanaryImage> canaries;
    private final ImageDecoder decoder;
    private final DetectParams params;
    private final Optional<String> servedName;

    public ModelValidator(ModelLoader loader, List<CanaryImage> canaries, ImageDecoder decoder, DetectParams params) {
        this(loader, canaries, decoder, params, Optional.empty());
    }

    /**
     * @param servedName the name every version is served under (KServe clients address the model by it, so it must
     *                   not change with the version); empty: the artifact's own name
     */
    public ModelValidator(ModelLoader loader, List<CanaryImage> canaries, ImageDecoder decoder, DetectParams params,
                          Optional<String> servedName) {
        this.servedName = servedName;
        this.loader = loader;
        this.canaries = List.copyOf(canaries);
        this.decoder = decoder;
        this.params = params;
    }

    /**
     * @return the model, loaded and warmed, not serving yet
     * @throws PullFailure with NOT_ONNX, NOT_YOLO, CONFIG_MISMATCH or CANARY; the model is closed then
     */
    public LoadedModel validate(Path file, ArtifactConfig config) throws PullFailure {
        LoadedModel model;
        try {
            model = loader.load(file, Optional.of(servedName.orElse(config.name())), Optional.of(config.version()));
        } catch (ModelRejected e) {
            throw new PullFailure(e.kind() == ModelRejected.Kind.NOT_YOLO ? Reason.NOT_YOLO : Reason.NOT_ONNX,
                    e.getMessage(), e);
        }
        try {
            checkConfig(model.contract(), config);
            checkCanaries(model, config);
            return model;
        } catch (PullFailure | RuntimeException e) {
            model.retire();
            throw e;
        }
    }

    private static void checkConfig(ModelContract contract, ArtifactConfig config) throws PullFailure {
        if (!config.classNames().isEmpty() && !config.classNames().equals(contract.classNames())) {
            throw new PullFailure(Reason.CONFIG_MISMATCH, "the artifact config lists " + config.classNames().size()
                    + " classes " + abbreviate(config.classNames()) + " but the model has " + contract.numClasses()
                    + " " + abbreviate(contract.classNames()));
        }
        List<Integer> size = List.of(contract.inputWidth(), contract.inputHeight());
        if (!config.inputSize().isEmpty() && !config.inputSize().equals(size)) {
            throw new PullFailure(Reason.CONFIG_MISMATCH, "the artifact config says input " + config.inputSize()
                    + " but the model takes " + size);
        }
    }

    private void checkCanaries(LoadedModel model, ArtifactConfig config) throws PullFailure {
        for (String name : config.canary().keySet()) {
            if (canaries.stream().noneMatch(c -> c.name().equals(name))) {
                LOG.warnf("The artifact of %s %s expects canary '%s', which this box has no image for "
                        + "(edge.registry.canary.%s.image): that expectation is not checked", config.name(),
                        config.version(), name, name);
            }
        }
        List<String> misses = new ArrayList<>();
        for (CanaryImage canary : canaries) {
            Map<String, Integer> minimum = new TreeMap<>(canary.minimum());
            config.canary().getOrDefault(canary.name(), Map.of()).forEach((cls, n) -> minimum.merge(cls, n, Math::max));
            Map<String, Integer> found = count(model, canary);
            for (Map.Entry<String, Integer> want : minimum.entrySet()) {
                if (!model.contract().classNames().contains(want.getKey())) {
                    misses.add(canary.name() + ": '" + want.getKey() + "' is not a class of this model");
                } else if (found.getOrDefault(want.getKey(), 0) < want.getValue()) {
                    misses.add(canary.name() + ": " + want.getKey() + " " + found.getOrDefault(want.getKey(), 0)
                            + " < " + want.getValue());
                }
            }
            LOG.infof("Canary %s (%s) with %s %s: found %s", canary.name(), canary.file().getFileName(),
                    config.name(), config.version(), found);
        }
        if (!misses.isEmpty()) {
            throw new PullFailure(Reason.CANARY, "canary images not passed: " + String.join("; ", misses));
        }
    }

    private Map<String, Integer> count(LoadedModel model, CanaryImage canary) throws PullFailure {
        ModelContract c = model.contract();
        try (Frame frame = decoder.decode(canary.bytes())) {
            Preprocessor.Prepared prepared = Preprocessor.prepare(frame, c.inputWidth(), c.inputHeight());
            LoadedModel.RawOutput output = model.run(prepared.chw(), 1);
            List<Detection> detections = YoloDecoder.decode(output.image(0), output.anchors(), c.classNames(),
                    params, prepared.letterbox());
            Map<String, Integer> counts = new TreeMap<>();
            detections.forEach(d -> counts.merge(d.label(), 1, Integer::sum));
            return counts;
        } catch (ai.onnxruntime.OrtException | RuntimeException e) {
            throw new PullFailure(Reason.CANARY, "the model failed on canary " + canary.name() + ": "
                    + e.getMessage(), e);
        }
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 4 ? names.toString() : names.subList(0, 4) + "...";
    }
}
