package edge.api.kserve;

import edge.detect.Preprocessor;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.testing.Fixtures;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A letterboxed tensor and what ONNX Runtime answers for it when called directly, without the service. */
record DirectRun(float[] input, float[] output) {

    static DirectRun of(String image) throws Exception {
        LoadedModel model = new ModelLoader(2).load(Fixtures.model(Fixtures.DYNAMIC), Optional.empty());
        try (Frame frame = new ImageDecoder(new ImageLimits(1 << 26, 1 << 26)).decode(Fixtures.imageBytes(image))) {
            ByteBuffer chw = Preprocessor.prepare(frame, 640, 640).chw();
            float[] input = new float[3 * 640 * 640];
            chw.asFloatBuffer().get(input);
            chw.rewind();
            return new DirectRun(input, model.run(chw, 1).values());
        } finally {
            model.retire();
        }
    }

    void assertClose(FloatBuffer served) {
        assertTrue(output.length > 0, "the direct run produced no output");
        assertEquals(output.length, served.remaining());
        float worst = 0;
        for (int i = 0; i < output.length; i++) {
            worst = Math.max(worst, Math.abs(output[i] - served.get(i)));
        }
        assertTrue(worst <= 1e-4f, "largest difference " + worst);
    }
}
