package edge.model;

import edge.detect.Preprocessor;
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
import java.util.List;
import java.util.Optional;

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

    private double batchedVersusSingles(String modelFile) throws Exception {
        return batchedVersusSingles(modelFile, IMAGES);
    }

    private double batchedVersusSingles(String modelFile, List<String> images) throws Exception {
        byte[] original = Files.readAllBytes(Fixtures.model(modelFile));
        Path rewritten = Files.write(dir.resolve("batched-" + modelFile), BatchRewrite.rewrite(original).model());
        ModelLoader loader = new ModelLoader(2);
        LoadedModel single = loader.load(Fixtures.model(modelFile), Optional.empty());
        LoadedModel batched = loader.load(rewritten, Optional.empty());
        try {
            assertFalse(single.contract().batchDynamic());
            assertTrue(batched.contract().batchDynamic());
            int floats = 3 * 640 * 640;
            ByteBuffer batch = ByteBuffer.allocateDirect(images.size() * floats * 4).order(ByteOrder.nativeOrder());
            float[][] singles = new float[images.size()][];
            ImageDecoder decoder = new ImageDecoder(new ImageLimits(1 << 26, 1 << 26));
            for (int i = 0; i < images.size(); i++) {
                try (Frame frame = decoder.decode(Fixtures.imageBytes(images.get(i)))) {
                    ByteBuffer chw = Preprocessor.prepare(frame, 640, 640).chw();
                    batch.put(i * floats * 4, chw, 0, floats * 4);
                    singles[i] = single.run(chw, 1).values();
                }
            }
            LoadedModel.RawOutput out = batched.run(batch, images.size());
            assertEquals(images.size(), out.batch());
            double worst = 0;
            for (int i = 0; i < images.size(); i++) {
                java.nio.FloatBuffer slice = out.image(i);
                assertEquals(singles[i].length, slice.remaining());
                for (int k = 0; k < singles[i].length; k++) {
                    worst = Math.max(worst, Math.abs(singles[i][k] - slice.get(k)));
                }
            }
            return worst;
        } finally {
            single.retire();
            batched.retire();
        }
    }
}
