package edge.model;

import edge.detect.DetectParams;
import edge.detect.DetectionResult;
import edge.detect.Letterbox;
import edge.model.ModelContract;
import edge.detect.Preprocessor;
import edge.detect.YoloDecoder;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.testing.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batch rewrite: a fixed-batch export becomes batch-dynamic, and one batched run equals N single runs. */
class BatchRewriteTest {

    @TempDir
    Path dir;

    static final List<String> IMAGES = List.of("bus.jpg", "zidane.jpg", "bus.jpg");

    @Test
    void qdqModelBatchedEqualsSingleRuns() throws Exception {
        double worst = batchedVersusSingles(Fixtures.QDQ);
        System.out.println("yolov8n-int8-qdq: largest |batched - single| = " + worst);
        assertTrue(worst <= 1e-4, "largest difference " + worst);
    }

    @Test
    void yolo11At320BatchedEqualsSingleRunsToo() throws Exception {
        BatchRewrite.Result r = BatchRewrite.rewrite(Files.readAllBytes(Fixtures.model(Fixtures.YOLO11_320)));
        // Dynamic quantization: the batch shares one activation scale, so the rewrite reports it.
        assertTrue(r.batchChangesResults());
        assertTrue(r.reshapes() > 0);
        // A real batch of 3 through the rewritten model (its own 320x320 input), against 3 single runs of the original:
        // the same image three times shares one scale, so the outputs must match to float noise; mixed images may
        // differ in the scores' last digits, but each image must still count what its single run counts.
        Comparison same = compare(Fixtures.YOLO11_320, List.of("bus.jpg", "bus.jpg", "bus.jpg"));
        Comparison mixed = compare(Fixtures.YOLO11_320, IMAGES);
        System.out.println("yolo11n-int8-320: largest |batched - single| same images " + same.worst() + ", mixed "
                + mixed.worst() + "; counts batched " + mixed.batched() + ", single " + mixed.singles());
        assertTrue(same.worst() <= 1e-4, "identical images, difference " + same.worst());
        assertEquals(same.singles(), same.batched());
        assertEquals(mixed.singles(), mixed.batched(), "each image of the batch counts what its single run counts");
        assertFalse(mixed.singles().get(0).isEmpty(), "bus.jpg finds something at 320: " + mixed.singles());
    }

    @Test
    void dynamicQuantizationIsReportedAndStillRuns() throws Exception {
        BatchRewrite.Result r = BatchRewrite.rewrite(Files.readAllBytes(Fixtures.model(Fixtures.DYNAMIC)));
        assertTrue(r.batchChangesResults(), "the dynamic model quantizes activations per tensor");
        // The same image three times: one shared scale is each image's own scale, so the graph itself is right.
        double same = batchedVersusSingles(Fixtures.DYNAMIC, List.of("bus.jpg", "bus.jpg", "bus.jpg"));
        double mixed = batchedVersusSingles(Fixtures.DYNAMIC);
        System.out.println("yolov8n-int8-dynamic: largest |batched - single| same images " + same + ", mixed " + mixed);
        assertTrue(same <= 1e-4, "identical images, difference " + same);
    }

    @Test
    void qdqIsNotReportedAsChangingResults() throws Exception {
        BatchRewrite.Result r = BatchRewrite.rewrite(Files.readAllBytes(Fixtures.model(Fixtures.QDQ)));
        assertFalse(r.batchChangesResults());
        assertTrue(r.reshapes() > 0, "YOLOv8's head reshapes with a constant batch of 1");
    }

    @Test
    void theBatchifyCommandWritesALoadableBatchDynamicModel() throws Exception {
        Path out = dir.resolve("qdq-batched.onnx");
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        int code = BatchifyCommand.run(List.of(Fixtures.model(Fixtures.QDQ).toString(), out.toString()),
                new java.io.PrintStream(text, true));
        assertEquals(0, code, text.toString());
        assertTrue(text.toString().contains("reshape(s) now copy the batch"), text.toString());
        LoadedModel model = new ModelLoader(1).load(out, Optional.empty());
        assertTrue(model.contract().batchDynamic());
        assertTrue(model.batchable());
        model.retire();
        assertEquals(2, BatchifyCommand.run(List.of("only-one-argument"), new java.io.PrintStream(text, true)));
    }

    @Test
    void notOnnxIsRefused() {
        org.junit.jupiter.api.Assertions.assertThrows(ModelRejected.class,
                () -> BatchRewrite.rewrite("not a model at all".getBytes()));
    }

    private static Map<String, Integer> counts(java.nio.FloatBuffer output, ModelContract contract, Letterbox letterbox) {
        DetectParams params = new DetectParams(0.25f, 0.45f, 300, Set.of());
        return DetectionResult.countByClass(YoloDecoder.decode(output.duplicate(), contract.anchors(),
                contract.classNames(), params, letterbox));
    }

    private double batchedVersusSingles(String modelFile) throws Exception {
        return batchedVersusSingles(modelFile, IMAGES);
    }

    private double batchedVersusSingles(String modelFile, List<String> images) throws Exception {
        return compare(modelFile, images).worst();
    }

    /** The largest output difference, and the counts per image of the batched run and of the single runs. */
    record Comparison(double worst, List<Map<String, Integer>> batched, List<Map<String, Integer>> singles) {
    }

    private Comparison compare(String modelFile, List<String> images) throws Exception {
        byte[] original = Files.readAllBytes(Fixtures.model(modelFile));
        Path rewritten = Files.write(dir.resolve("batched-" + modelFile), BatchRewrite.rewrite(original).model());
        ModelLoader loader = new ModelLoader(2);
        LoadedModel single = loader.load(Fixtures.model(modelFile), Optional.empty());
        LoadedModel batched = loader.load(rewritten, Optional.empty());
        try {
            assertFalse(single.contract().batchDynamic());
            assertTrue(batched.contract().batchDynamic());
            ModelContract contract = single.contract();
            int width = contract.inputWidth();
            int height = contract.inputHeight();
            int floats = 3 * width * height;
            ByteBuffer batch = ByteBuffer.allocateDirect(images.size() * floats * 4).order(ByteOrder.nativeOrder());
            float[][] singles = new float[images.size()][];
            Letterbox[] letterboxes = new Letterbox[images.size()];
            ImageDecoder decoder = new ImageDecoder(new ImageLimits(1 << 26, 1 << 26));
            for (int i = 0; i < images.size(); i++) {
                try (Frame frame = decoder.decode(Fixtures.imageBytes(images.get(i)))) {
                    Preprocessor.Prepared prepared = Preprocessor.prepare(frame, width, height);
                    ByteBuffer chw = prepared.chw();
                    letterboxes[i] = prepared.letterbox();
                    batch.put(i * floats * 4, chw, 0, floats * 4);
                    singles[i] = single.run(chw, 1).values();
                }
            }
            LoadedModel.RawOutput out = batched.run(batch, images.size());
            assertEquals(images.size(), out.batch());
            double worst = 0;
            List<Map<String, Integer>> batchedCounts = new ArrayList<>();
            List<Map<String, Integer>> singleCounts = new ArrayList<>();
            for (int i = 0; i < images.size(); i++) {
                java.nio.FloatBuffer slice = out.image(i);
                assertEquals(singles[i].length, slice.remaining());
                for (int k = 0; k < singles[i].length; k++) {
                    worst = Math.max(worst, Math.abs(singles[i][k] - slice.get(slice.position() + k)));
                }
                batchedCounts.add(counts(slice, contract, letterboxes[i]));
                singleCounts.add(counts(java.nio.FloatBuffer.wrap(singles[i]), contract, letterboxes[i]));
            }
            return new Comparison(worst, batchedCounts, singleCounts);
        } finally {
            single.retire();
            batched.retire();
        }
    }
}
