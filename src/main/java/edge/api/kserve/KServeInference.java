package edge.api.kserve;

import edge.api.ModelNotFound;
import edge.detect.DetectOptions;
import edge.detect.Detection;
import edge.detect.DetectionPipeline;
import edge.detect.DetectionResult;
import edge.detect.InvalidRequest;
import edge.model.ModelContract;
import edge.model.ModelInfo;
import edge.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The KServe v2 / Open Inference Protocol semantics, shared by the REST and gRPC bindings. Two ways to infer:
 * <ul>
 * <li>raw tensor: the model's own input ({@code images}, FP32 {@code [1,3,H,W]}) in, its raw output
 * ({@code output0}, FP32 {@code [1,4+nc,N]}) out, as Triton serving the ONNX file would answer;</li>
 * <li>encoded image: input {@code image}, BYTES {@code [1]} holding a JPEG/PNG; outputs {@code boxes} FP32
 * {@code [N,4]} (x1,y1,x2,y2 in original pixels), {@code scores} FP32 {@code [N]}, {@code class_ids} INT32 {@code [N]},
 * {@code labels} BYTES {@code [N]}; the parameters {@code conf}, {@code iou}, {@code max_det}, {@code classes}
 * apply, exactly as on {@code POST /detect}.</li>
 * </ul>
 */
@ApplicationScoped
public class KServeInference {

    public static final String SERVER_NAME = "edge-detector";
    public static final String PLATFORM = "onnxruntime_onnx";
    public static final String IMAGE_INPUT = "image";
    public static final List<String> IMAGE_OUTPUTS = List.of("boxes", "scores", "class_ids", "labels");

    private final DetectionPipeline pipeline;
    private final ModelService models;
    private final String serverVersion;

    public KServeInference(DetectionPipeline pipeline, ModelService models,
                           @org.eclipse.microprofile.config.inject.ConfigProperty(name = "quarkus.application.version",
                                   defaultValue = "unknown") String serverVersion) {
        this.pipeline = pipeline;
        this.models = models;
        this.serverVersion = serverVersion;
    }

    public record ServerMetadata(String name, String version, List<String> extensions) {
    }

    public record ModelMetadata(String name, List<String> versions, String platform, List<Tensor> inputs,
                                List<Tensor> outputs, Map<String, String> properties) {
    }

    /** A call: which model, the inputs, the outputs asked for (empty: all of the mode), the parameters. */
    public record InferCall(String modelName, String modelVersion, String id, Map<String, Object> parameters,
                            List<Tensor> inputs, List<String> requestedOutputs) {
    }

    public record InferAnswer(String modelName, String modelVersion, String id, List<Tensor> outputs) {
    }

    public ServerMetadata serverMetadata() {
        return new ServerMetadata(SERVER_NAME, serverVersion, List.of());
    }

    public boolean serverReady() {
        return models.status().ready();
    }

    /** Whether the named model is ready; unknown names are {@link ModelNotFound}. */
    public boolean modelReady(String name, String version) {
        served(name, version);
        return true;
    }

    public ModelMetadata modelMetadata(String name, String version) {
        Served s = served(name, version);
        ModelContract c = s.contract();
        List<Tensor> inputs = List.of(
                new Tensor(c.inputName(), Tensor.FP32, new long[] {1, 3, c.inputHeight(), c.inputWidth()}, null),
                new Tensor(IMAGE_INPUT, Tensor.BYTES, new long[] {1}, null));
        List<Tensor> outputs = List.of(
                new Tensor(c.outputName(), Tensor.FP32, new long[] {1, c.channels(), c.anchors()}, null),
                new Tensor("boxes", Tensor.FP32, new long[] {-1, 4}, null),
                new Tensor("scores", Tensor.FP32, new long[] {-1}, null),
                new Tensor("class_ids", Tensor.INT32, new long[] {-1}, null),
                new Tensor("labels", Tensor.BYTES, new long[] {-1}, null));
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("mode.raw_tensor", "input '" + c.inputName() + "' FP32 [1,3," + c.inputHeight() + ","
                + c.inputWidth() + "] (RGB, 0..1, NCHW, letterboxed with grey 114) -> output '" + c.outputName()
                + "' FP32 [1," + c.channels() + ",N] (cx, cy, w, h, then one score per class; no NMS)");
        properties.put("mode.encoded_image", "input 'image' BYTES [1] (a JPEG/PNG/BMP/WebP/TIFF file) -> outputs "
                + "'boxes' FP32 [N,4] (x1,y1,x2,y2 in original pixels), 'scores' FP32 [N], 'class_ids' INT32 [N], "
                + "'labels' BYTES [N]; parameters conf, iou, max_det, classes");
        properties.put("class_names", String.join(",", c.classNames()));
        properties.put("sha256", s.info().sha256());
        return new ModelMetadata(s.info().name(), List.of(s.info().version()), PLATFORM, inputs, outputs, properties);
    }

    public InferAnswer infer(InferCall call) {
        Served s = served(call.modelName(), call.modelVersion());
        if (call.inputs().size() != 1) {
            throw new InvalidRequest("expected exactly one input, '" + s.contract().inputName() + "' (raw tensor) or '"
                    + IMAGE_INPUT + "' (encoded image), got " + call.inputs());
        }
        Tensor input = call.inputs().get(0);
        if (input.name().equals(IMAGE_INPUT)) {
            return inferImage(call, input);
        }
        if (input.name().equals(s.contract().inputName())) {
            return inferRaw(call, input);
        }
        throw new InvalidRequest("unknown input '" + input.name() + "'; this model takes '" + s.contract().inputName()
                + "' (FP32 raw tensor) or '" + IMAGE_INPUT + "' (BYTES encoded image)");
    }

    private InferAnswer inferRaw(InferCall call, Tensor input) {
        if (!Tensor.FP32.equals(input.datatype()) || !(input.data() instanceof float[] values)) {
            throw new InvalidRequest("input '" + input.name() + "' must be FP32, got " + input.datatype());
        }
        DetectionPipeline.RawRun run = pipeline.runRaw(values, input.shape());
        String output = run.contract().outputName();
        requireKnownOutputs(call, List.of(output));
        return new InferAnswer(run.model().name(), run.model().version(), call.id(),
                List.of(Tensor.fp32(output, run.outputShape(), run.output())));
    }

    private InferAnswer inferImage(InferCall call, Tensor input) {
        if (!Tensor.BYTES.equals(input.datatype()) || !(input.data() instanceof byte[][] elements)) {
            throw new InvalidRequest("input 'image' must be BYTES, got " + input.datatype());
        }
        if (elements.length != 1 || input.elements() != 1) {
            throw new InvalidRequest("input 'image' must have shape [1] and hold one encoded image, got shape "
                    + java.util.Arrays.toString(input.shape()) + " with " + elements.length + " elements");
        }
        requireKnownOutputs(call, IMAGE_OUTPUTS);
        DetectionResult result = pipeline.detect(elements[0], KServeParameters.options(call.parameters()));
        List<Detection> ds = result.detections();
        int n = ds.size();
        float[] boxes = new float[n * 4];
        float[] scores = new float[n];
        int[] classIds = new int[n];
        byte[][] labels = new byte[n][];
        for (int i = 0; i < n; i++) {
            Detection d = ds.get(i);
            boxes[4 * i] = d.box().x1();
            boxes[4 * i + 1] = d.box().y1();
            boxes[4 * i + 2] = d.box().x2();
            boxes[4 * i + 3] = d.box().y2();
            scores[i] = d.confidence();
            classIds[i] = d.classId();
            labels[i] = d.label().getBytes(StandardCharsets.UTF_8);
        }
        List<Tensor> all = List.of(
                Tensor.fp32("boxes", new long[] {n, 4}, boxes),
                Tensor.fp32("scores", new long[] {n}, scores),
                Tensor.int32("class_ids", new long[] {n}, classIds),
                Tensor.bytes("labels", new long[] {n}, labels));
        List<Tensor> chosen = call.requestedOutputs().isEmpty() ? all
                : all.stream().filter(t -> call.requestedOutputs().contains(t.name())).toList();
        return new InferAnswer(result.model().name(), result.model().version(), call.id(), chosen);
    }

    private static void requireKnownOutputs(InferCall call, List<String> known) {
        for (String wanted : call.requestedOutputs()) {
            if (!known.contains(wanted)) {
                throw new InvalidRequest("unknown output '" + wanted + "' for this input; outputs: " + known);
            }
        }
    }

    private record Served(ModelInfo info, ModelContract contract) {
    }

    private Served served(String name, String version) {
        ModelService.Status status = models.status();
        Optional<ModelInfo> info = status.model();
        if (info.isEmpty()) {
            throw new edge.model.ModelUnavailable(status.problem());
        }
        if (!info.get().name().equals(name)) {
            throw new ModelNotFound("model '" + name + "' is not served here; this server serves '"
                    + info.get().name() + "'");
        }
        if (version != null && !version.isEmpty() && !info.get().version().equals(version)) {
            throw new ModelNotFound("model '" + name + "' has no version '" + version + "'; served version: '"
                    + info.get().version() + "'");
        }
        return new Served(info.get(), status.contract().orElseThrow());
    }
}
