package edge.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.FloatBuffer;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** YoloDecoder on synthetic [4 + nc, N] outputs, nc = 3. */
class YoloDecoderTest {

    private static final List<String> NAMES = List.of("a", "b", "c");
    private static final int IMG = 640;
    private static final Letterbox IDENTITY = Letterbox.fit(IMG, IMG, IMG, IMG);

    /** One anchor: cx, cy, w, h, then one score per class. */
    private static float[] anchor(float cx, float cy, float w, float h, float... scores) {
        float[] a = new float[4 + scores.length];
        a[0] = cx;
        a[1] = cy;
        a[2] = w;
        a[3] = h;
        System.arraycopy(scores, 0, a, 4, scores.length);
        return a;
    }

    /** Row-major [4 + nc, N]: all cx, all cy, all w, all h, then each class's row. */
    private static FloatBuffer output(float[]... anchors) {
        int rows = anchors[0].length;
        int n = anchors.length;
        float[] data = new float[rows * n];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < rows; r++) {
                data[r * n + i] = anchors[i][r];
            }
        }
        return FloatBuffer.wrap(data);
    }

    private static DetectParams params(float conf, float iou, int maxDet, Integer... classes) {
        return new DetectParams(conf, iou, maxDet, Set.of(classes));
    }

    private static List<Detection> decode(DetectParams p, float[]... anchors) {
        return YoloDecoder.decode(output(anchors), anchors.length, NAMES, p, IDENTITY);
    }

    private static List<Float> confidences(List<Detection> ds) {
        return ds.stream().map(Detection::confidence).toList();
    }

    @Test
    void confidenceThresholdIsStrict() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 300),
                anchor(50, 50, 10, 10, 0.25f, 0f, 0f),       // exactly conf: dropped
                anchor(150, 50, 10, 10, 0.2501f, 0f, 0f),    // just above: kept
                anchor(250, 50, 10, 10, 0.1f, 0.2f, 0.24f)); // below on every class
        assertEquals(1, ds.size());
        assertEquals(0.2501f, ds.get(0).confidence());
        assertEquals(new Box(145, 45, 155, 55), ds.get(0).box());
    }

    @Test
    void overlappingBoxesOfTheSameClassKeepTheBestOne() {
        // IoU = 18*20 / (400 + 400 - 360) = 0.818
        List<Detection> ds = decode(params(0.25f, 0.45f, 300),
                anchor(52, 50, 20, 20, 0.8f, 0f, 0f),
                anchor(50, 50, 20, 20, 0.9f, 0f, 0f));
        assertEquals(1, ds.size());
        assertEquals(0.9f, ds.get(0).confidence());
        assertEquals(new Box(40, 40, 60, 60), ds.get(0).box());
    }

    @Test
    void overlappingBoxesOfDifferentClassesAreBothKept() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 300),
                anchor(50, 50, 20, 20, 0.9f, 0f, 0f),
                anchor(50, 50, 20, 20, 0f, 0.8f, 0f));
        assertEquals(2, ds.size());
        assertEquals("a", ds.get(0).label());
        assertEquals("b", ds.get(1).label());
    }

    @Test
    void iouThresholdIsStrict() {
        // [0,0,20,10] and [0,0,10,10]: IoU = 100 / 200 = 0.5 exactly
        float[] big = anchor(10, 5, 20, 10, 0.9f, 0f, 0f);
        float[] small = anchor(5, 5, 10, 10, 0.8f, 0f, 0f);
        assertEquals(2, decode(params(0.25f, 0.5f, 300), big, small).size(), "IoU == iou: not suppressed");
        List<Detection> suppressed = decode(params(0.25f, 0.49f, 300), big, small);
        assertEquals(1, suppressed.size(), "IoU > iou: suppressed");
        assertEquals(0.9f, suppressed.get(0).confidence());
    }

    @Test
    void maxDetKeepsTheHighestScores() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 3),
                anchor(50, 50, 10, 10, 0.5f, 0f, 0f),
                anchor(150, 50, 10, 10, 0f, 0.9f, 0f),
                anchor(250, 50, 10, 10, 0.6f, 0f, 0f),
                anchor(350, 50, 10, 10, 0f, 0f, 0.8f),
                anchor(450, 50, 10, 10, 0.7f, 0f, 0f));
        assertEquals(List.of(0.9f, 0.8f, 0.7f), confidences(ds));
    }

    @Test
    void maxDetCountsOnlyBoxesThatSurviveNms() {
        // the 0.85 box is suppressed by the 0.9 one; the cap of 2 then takes 0.9 and 0.5
        List<Detection> ds = decode(params(0.25f, 0.45f, 2),
                anchor(50, 50, 20, 20, 0.9f, 0f, 0f),
                anchor(51, 50, 20, 20, 0.85f, 0f, 0f),
                anchor(300, 300, 20, 20, 0.5f, 0f, 0f),
                anchor(500, 500, 20, 20, 0.4f, 0f, 0f));
        assertEquals(List.of(0.9f, 0.5f), confidences(ds));
    }

    @Test
    void classFilterKeepsOnlyTheAskedClasses() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 300, 2),
                anchor(50, 50, 10, 10, 0.9f, 0f, 0f),
                anchor(150, 50, 10, 10, 0f, 0f, 0.6f),
                anchor(250, 50, 10, 10, 0f, 0.8f, 0f),
                // best class is 0: filtered out, not relabelled as its (above-threshold) class 2
                anchor(350, 50, 10, 10, 0.7f, 0f, 0.5f),
                anchor(450, 50, 10, 10, 0f, 0.1f, 0.3f));
        assertEquals(2, ds.size());
        assertTrue(ds.stream().allMatch(d -> d.classId() == 2 && d.label().equals("c")));
        assertEquals(List.of(0.6f, 0.3f), confidences(ds));

        List<Detection> two = decode(params(0.25f, 0.45f, 300, 0, 1),
                anchor(50, 50, 10, 10, 0.9f, 0f, 0f),
                anchor(150, 50, 10, 10, 0f, 0f, 0.6f),
                anchor(250, 50, 10, 10, 0f, 0.8f, 0f));
        assertEquals(List.of("a", "b"), two.stream().map(Detection::label).toList());
    }

    @Test
    void outputIsSortedByConfidenceDescending() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 300),
                anchor(50, 50, 10, 10, 0.3f, 0f, 0f),
                anchor(150, 50, 10, 10, 0f, 0.95f, 0f),
                anchor(250, 50, 10, 10, 0.6f, 0f, 0f),
                anchor(350, 50, 10, 10, 0f, 0f, 0.45f),
                anchor(450, 50, 10, 10, 0.8f, 0f, 0f));
        assertEquals(List.of(0.95f, 0.8f, 0.6f, 0.45f, 0.3f), confidences(ds));
    }

    @Test
    void bestClassIsChosenOverAllClasses() {
        List<Detection> ds = decode(params(0.25f, 0.45f, 300),
                anchor(50, 50, 10, 10, 0.1f, 0.3f, 0.8f),   // last class wins
                anchor(150, 50, 10, 10, 0.7f, 0.2f, 0.6f),  // first class wins
                anchor(250, 50, 10, 10, 0.4f, 0.5f, 0.45f)); // middle class wins
        assertEquals(3, ds.size());
        assertEquals(2, ds.get(0).classId());
        assertEquals("c", ds.get(0).label());
        assertEquals(0.8f, ds.get(0).confidence());
        assertEquals(0, ds.get(1).classId());
        assertEquals(0.7f, ds.get(1).confidence());
        assertEquals(1, ds.get(2).classId());
        assertEquals("b", ds.get(2).label());
        assertEquals(0.5f, ds.get(2).confidence());
    }

    @Test
    void boxesAreMappedBackThroughTheLetterbox() {
        // 1280x720 into 640: scale 0.5, padTop 140
        Letterbox lb = Letterbox.fit(1280, 720, 640, 640);
        float[][] anchors = {
                anchor(320, 320, 100, 50, 0.9f, 0f, 0f),  // model (270,295)-(370,345)
                anchor(20, 150, 60, 40, 0f, 0.8f, 0f)};   // model (-10,130)-(50,170): clipped
        List<Detection> ds = YoloDecoder.decode(output(anchors), 2, NAMES, params(0.25f, 0.45f, 300), lb);
        assertEquals(2, ds.size());
        assertEquals(new Box(540, 310, 740, 410), ds.get(0).box());
        Box clipped = ds.get(1).box();
        assertEquals(0f, clipped.x1());
        assertEquals(0f, clipped.y1());
        assertEquals(100f, clipped.x2(), 1e-4);
        assertEquals(60f, clipped.y2(), 1e-4);
    }

    @Test
    void readsFromTheBufferPosition() {
        float[][] anchors = {anchor(50, 50, 10, 10, 0f, 0.9f, 0f), anchor(150, 60, 20, 10, 0.7f, 0f, 0f)};
        FloatBuffer inner = output(anchors);
        float[] data = new float[3 + inner.remaining()];
        java.util.Arrays.fill(data, 0, 3, 99f);
        inner.get(data, 3, inner.remaining());
        FloatBuffer shifted = FloatBuffer.wrap(data);
        shifted.position(3);
        List<Detection> ds = YoloDecoder.decode(shifted, 2, NAMES, params(0.25f, 0.45f, 300), IDENTITY);
        assertEquals(2, ds.size());
        assertEquals(new Box(45, 45, 55, 55), ds.get(0).box());
        assertEquals("b", ds.get(0).label());
        assertEquals(new Box(140, 55, 160, 65), ds.get(1).box());
    }

    @Test
    void rejectsAnOutputOfTheWrongSize() {
        FloatBuffer tooShort = FloatBuffer.wrap(new float[7 * 2 - 1]);
        assertThrows(IllegalStateException.class,
                () -> YoloDecoder.decode(tooShort, 2, NAMES, params(0.25f, 0.45f, 300), IDENTITY));
    }

    @Test
    void nothingAboveThresholdGivesNoDetections() {
        assertEquals(List.of(), decode(params(0.5f, 0.45f, 300),
                anchor(50, 50, 10, 10, 0.1f, 0.2f, 0.3f),
                anchor(150, 50, 10, 10, 0.5f, 0.5f, 0.5f)));
    }
}
