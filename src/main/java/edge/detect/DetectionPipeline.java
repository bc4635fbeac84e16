package edge.detect;

import edge.model.ModelContract;
import edge.config.DetectConfig;
import edge.config.ImageConfig;
import edge.detect.DetectOptions.DetectDefaults;
import edge.detect.DetectionResult.ImageSize;
import edge.detect.DetectionResult.Timings;
import edge.image.Annotator;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.LoadedModel;
import edge.model.ModelInfo;
import edge.model.ModelService;
import edge.scheduler.InferenceScheduler;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The one request path: decode, letterbox, infer, decode the output. REST, gRPC, KServe and camera sources all
 * call this; none of them touches images, tensors or NMS itself.
 */
@ApplicationScoped
public class DetectionPipeline {

    private final ModelService models;
    private final InferenceScheduler scheduler;
    private final ImageDecoder decoder;
    private final TensorPool tensors;
    private final AnswerCache scenes;
    private final DetectDefaults defaults;
    private final int annotateJpegQuality;
    private final MeterRegistry registry;

    public DetectionPipeline(ModelService models, InferenceScheduler scheduler, AnswerCache scenes,
                             ImageConfig imageConfig, DetectConfig detectConfig, MeterRegistry registry) {
        this.models = models;
        this.scenes = scenes;
        this.scheduler = scheduler;
        this.tensors = new TensorPool(scheduler.queueSize());
        this.decoder = new ImageDecoder(new ImageLimits(imageConfig.maxBytes().asLongValue(), imageConfig.maxPixels()));
        this.defaults = new DetectDefaults(detectConfig.conf(), detectConfig.iou(), detectConfig.maxDet(),
                detectConfig.maxDetLimit());
        this.annotateJpegQuality = imageConfig.annotateJpegQuality();
        this.registry = registry;
    }

    public ImageDecoder decoder() {
        return decoder;
    }

    public DetectionResult detect(byte[] image, DetectOptions options) {
        return detect(image, options, Origin.NONE);
    }

    /**
     * Where a frame comes from, for the scene cache: the camera (the cache scope) and whether the client allows the
     * cache ({@code null}: the default).
     */
    public record Origin(String camera, Boolean cache) {
        public static final Origin NONE = new Origin(null, false);
    }

    /**
     * Frames of a camera first meet the scene cache: a reduced-scale grey decode and a thumbnail, without a work
     * slot; a hit is answered at once, ahead of every frame waiting for the model. Only a miss decodes in full and
     * waits for the model.
     */
    public DetectionResult detect(byte[] image, DetectOptions options, Origin origin) {
        long start = System.nanoTime();
        try (InferenceScheduler.Ticket ticket = scheduler.admit(); LoadedModel.Lease lease = models.acquire()) {
            LoadedModel model = lease.model();
            DetectParams params = options.resolve(defaults, model.contract().classNames());
            CacheCheck lookup = lookUp(model, params, image, origin, start);
            if (lookup != null && lookup.cached().hit()) {
                return lookup.answer(model, start);
            }
            try (Frame frame = decodeInTurn(ticket, image)) {
                return detect(model, frame, params, lookup, start, System.nanoTime());
            }
        }
    }

    /** What the scene cache said about a frame (to remember the model's answer on a miss), and when. */
    private record CacheCheck(AnswerCache.Lookup cached, ImageSize size, long lookedUp) {
        DetectionResult answer(LoadedModel model, long start) {
            double ms = ms(lookedUp - start);
            return DetectionResult.of(model.info(), size, cached.answer(), new Timings(ms, 0, 0, 0, ms),
                    cached.info());
        }
    }

    /** Null when the cache does not apply to this request. */
    private CacheCheck lookUp(LoadedModel model, DetectParams params, byte[] image, Origin origin, long start) {
        String scope = scenes.scope(origin.camera(), origin.cache());
        if (scope == null) {
            return null;
        }
        long began = System.nanoTime();
        try (ImageDecoder.Preview preview = decoder.preview(image)) {
            AnswerCache.Lookup cached = scenes.lookup(scope, preview, model.info(), params, began);
            return new CacheCheck(cached, new ImageSize(preview.width(), preview.height()), System.nanoTime());
        }
    }

    /** Decodes once the scheduler has a work slot for this request (limits are checked first, at no cost). */
    private Frame decodeInTurn(InferenceScheduler.Ticket ticket, byte[] image) {
        decoder.checkByteCount(image == null ? 0 : image.length);
        ticket.startWork();
        return decoder.decode(image);
    }

    /** An annotated picture and the result it shows. */
    public record Annotated(DetectionResult result, byte[] image, String mediaType) {
    }

    public Annotated annotate(byte[] image, DetectOptions options, Origin origin, Annotator.Encoding encoding) {
        long start = System.nanoTime();
        try (InferenceScheduler.Ticket ticket = scheduler.admit(); LoadedModel.Lease lease = models.acquire()) {
            LoadedModel model = lease.model();
            DetectParams params = options.resolve(defaults, model.contract().classNames());
            CacheCheck lookup = lookUp(model, params, image, origin, start);
            try (Frame frame = decodeInTurn(ticket, image)) {
                return annotate(lookup != null && lookup.cached().hit() ? lookup.answer(model, start)
                        : detect(model, frame, params, lookup, start, System.nanoTime()), frame, encoding);
            }
        }
    }

    private Annotated annotate(DetectionResult result, Frame frame, Annotator.Encoding encoding) {
        List<Annotator.Mark> marks = result.detections().stream()
                .map(d -> new Annotator.Mark(d.box().x1(), d.box().y1(), d.box().x2(), d.box().y2(),
                        String.format(Locale.ROOT, "%s %.2f", d.label(), d.confidence()), d.classId()))
                .toList();
        return new Annotated(result, Annotator.drawAndEncode(frame, marks, encoding, annotateJpegQuality),
                encoding.mediaType);
    }

    /** The model's own output for a tensor the client prepared itself (KServe's raw-tensor mode). */
    public record RawRun(ModelInfo model, ModelContract contract, long[] outputShape, float[] output) {
    }

    /**
     * Runs the current model on a client's NCHW tensor, after checking it against the model's input.
     *
     * @throws InvalidRequest when the shape is not {@code [1, 3, H, W]} of this model (or {@code [n, 3, H, W]} when
     *                        its batch is dynamic) or the values do not fill it
     */
    public RawRun runRaw(float[] nchw, long[] shape) {
        try (InferenceScheduler.Ticket ticket = scheduler.admit(); LoadedModel.Lease lease = models.acquire()) {
            ticket.startWork();
            LoadedModel model = lease.model();
            ModelContract c = model.contract();
            boolean batchOk = shape.length == 4 && (shape[0] == 1 || (c.batchDynamic() && shape[0] >= 1));
            if (!batchOk || shape[1] != 3 || shape[2] != c.inputHeight() || shape[3] != c.inputWidth()) {
                throw new InvalidRequest("input '" + c.inputName() + "' must have shape [1, 3, " + c.inputHeight()
                        + ", " + c.inputWidth() + "], got " + Arrays.toString(shape));
            }
            long expected = shape[0] * 3 * shape[2] * shape[3];
            if (nchw.length != expected) {
                throw new InvalidRequest("input '" + c.inputName() + "' of shape " + Arrays.toString(shape)
                        + " needs " + expected + " values, got " + nchw.length);
            }
            ByteBuffer buffer = tensors.take(nchw.length * Float.BYTES);
            LoadedModel.RawOutput out;
            try {
                buffer.asFloatBuffer().put(nchw);
                long start = System.nanoTime();
                out = scheduler.infer(model, buffer, (int) shape[0]);
                record(model, List.of(), System.nanoTime() - start);
            } finally {
                tensors.give(buffer);
            }
            return new RawRun(model.info(), c, new long[] {out.batch(), c.channels(), out.anchors()}, out.values());
        }
    }

    private DetectionResult detect(LoadedModel model, Frame frame, DetectParams params, CacheCheck lookup, long start,
                                   long decoded) {
        ModelContract contract = model.contract();
        ImageSize size = new ImageSize(frame.width(), frame.height());
        ByteBuffer tensor = tensors.take(Preprocessor.bytes(contract.inputWidth(), contract.inputHeight()));
        Preprocessor.Prepared prepared;
        long preprocessed;
        LoadedModel.RawOutput output;
        try {
            prepared = Preprocessor.prepare(frame, contract.inputWidth(), contract.inputHeight(), tensor);
            preprocessed = System.nanoTime();
            output = scheduler.infer(model, prepared.chw(), 1);
        } finally {
            tensors.give(tensor);
        }
        long inferred = System.nanoTime();
        List<Detection> detections = YoloDecoder.decode(output.image(0), output.anchors(), contract.classNames(),
                params, prepared.letterbox());
        long done = System.nanoTime();
        record(model, detections, inferred - preprocessed);
        Timings timings = new Timings(ms(decoded - start), ms(preprocessed - decoded), ms(inferred - preprocessed),
                ms(done - inferred), ms(done - start));
        CacheInfo cache = lookup == null ? null : lookup.cached().remember(detections, frame.width(), frame.height());
        return DetectionResult.of(model.info(), size, detections, timings, cache);
    }

    private void record(LoadedModel model, List<Detection> detections, long inferenceNanos) {
        Timer.builder("edge.inference").description("ONNX Runtime inference time per image")
                .tag("model", model.info().name()).publishPercentileHistogram()
                .register(registry).record(inferenceNanos, TimeUnit.NANOSECONDS);
        for (Detection d : detections) {
            Counter.builder("edge.detections").description("Objects detected, by class")
                    .tag("class", d.label()).register(registry).increment();
        }
    }

    private static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
