package edge.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edge.model.ModelContract.TensorSpec;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ModelContractTest {

    private static TensorSpec spec(String name, String type, long... shape) {
        return new TensorSpec(name, type, shape);
    }

    private static List<TensorSpec> in(long... shape) {
        return List.of(spec("images", "FLOAT", shape));
    }

    private static List<TensorSpec> out(long... shape) {
        return List.of(spec("output0", "FLOAT", shape));
    }

    /** The names metadata as Ultralytics' exporter writes it: str() of a Python dict. */
    private static String pythonDict(List<String> names) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < names.size(); i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(i).append(": '").append(names.get(i)).append('\'');
        }
        return sb.append('}').toString();
    }

    private static Map<String, String> meta(String... kv) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void yolov8At640() {
        ModelContract c = ModelContract.of(in(1, 3, 640, 640), out(1, 84, 8400),
                meta("names", pythonDict(CocoClasses.NAMES), "imgsz", "[640, 640]"));
        assertEquals("images", c.inputName());
        assertEquals("output0", c.outputName());
        assertEquals(640, c.inputWidth());
        assertEquals(640, c.inputHeight());
        assertEquals(8400, c.anchors());
        assertEquals(80, c.numClasses());
        assertEquals(84, c.channels());
        assertEquals(CocoClasses.NAMES, c.classNames());
        assertEquals("person", c.classNames().get(0));
        assertEquals("traffic light", c.classNames().get(9));
        assertEquals("toothbrush", c.classNames().get(79));
        assertFalse(c.batchDynamic());
    }

    @Test
    void yoloAt320() {
        ModelContract c = ModelContract.of(in(1, 3, 320, 320), out(1, 84, 2100),
                meta("names", pythonDict(CocoClasses.NAMES)));
        assertEquals(320, c.inputWidth());
        assertEquals(320, c.inputHeight());
        assertEquals(2100, c.anchors());
        assertEquals(CocoClasses.NAMES, c.classNames());
    }

    @Test
    void customThreeClassModelWithQuotedNames() {
        ModelContract c = ModelContract.of(in(1, 3, 640, 640), out(1, 7, 8400),
                meta("names", "{0: 'bolt', 1: \"o'ring\", 2: 'nut'}"));
        assertEquals(List.of("bolt", "o'ring", "nut"), c.classNames());
        assertEquals(3, c.numClasses());
        assertEquals(7, c.channels());
    }

    @Test
    void absentNamesWith80ClassesAreCoco() {
        ModelContract c = ModelContract.of(in(1, 3, 640, 640), out(1, 84, 8400), Map.of());
        assertEquals(CocoClasses.NAMES, c.classNames());
    }

    @Test
    void absentNamesWithOtherCountsAreGeneric() {
        ModelContract c = ModelContract.of(in(1, 3, 640, 640), out(1, 7, 8400), Map.of());
        assertEquals(List.of("class0", "class1", "class2"), c.classNames());
    }

    @Test
    void namesCountMismatchNamesBothNumbers() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelContract.of(in(1, 3, 640, 640), out(1, 84, 8400),
                        meta("names", "{0: 'bolt', 1: \"o'ring\", 2: 'nut'}")));
        assertTrue(e.getMessage().matches("(?s).*\\b3\\b.*"), e.getMessage());
        assertTrue(e.getMessage().matches("(?s).*\\b80\\b.*"), e.getMessage());
    }

    @Test
    void namesWithAGapInTheIdsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> ModelContract.of(in(1, 3, 640, 640), out(1, 7, 100),
                meta("names", "{0: 'a', 1: 'b', 3: 'd'}")));
    }

    @Test
    void symbolicInputSizeTakenFromImgsz() {
        ModelContract c = ModelContract.of(in(1, 3, -1, -1), out(1, 84, -1),
                meta("imgsz", "[320, 320]"));
        assertEquals(320, c.inputWidth());
        assertEquals(320, c.inputHeight());
        assertEquals(-1, c.anchors());
    }

    @Test
    void imgszIsHeightThenWidth() {
        ModelContract c = ModelContract.of(in(1, 3, -1, -1), out(1, 84, -1), meta("imgsz", "[384, 640]"));
        assertEquals(384, c.inputHeight());
        assertEquals(640, c.inputWidth());
        ModelContract fixed = ModelContract.of(in(1, 3, 384, 640), out(1, 84, 5040), Map.of());
        assertEquals(384, fixed.inputHeight());
        assertEquals(640, fixed.inputWidth());
    }

    @Test
    void symbolicInputSizeWithoutImgszIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> ModelContract.of(in(1, 3, -1, -1), out(1, 84, -1), Map.of()));
    }

    private static void assertNotYolo(List<TensorSpec> inputs, List<TensorSpec> outputs, String... found) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelContract.of(inputs, outputs, Map.of()));
        assertTrue(e.getMessage().startsWith("not a YOLO detection model"), e.getMessage());
        for (String f : found) {
            assertTrue(e.getMessage().contains(f), "message should mention " + f + ": " + e.getMessage());
        }
    }

    @Test
    void outputOfRankFourIsNotYolo() {
        assertNotYolo(in(1, 3, 640, 640), out(1, 255, 80, 80), "output0:FLOAT[1, 255, 80, 80]");
    }

    @Test
    void twoOutputsAreNotYolo() {
        List<TensorSpec> outs = List.of(spec("output0", "FLOAT", 1, 116, 8400), spec("output1", "FLOAT", 1, 32, 160, 160));
        assertNotYolo(in(1, 3, 640, 640), outs, "output0:FLOAT[1, 116, 8400]", "output1:FLOAT[1, 32, 160, 160]");
    }

    @Test
    void int64InputIsNotYolo() {
        assertNotYolo(List.of(spec("input_ids", "INT64", 1, 3, 640, 640)), out(1, 84, 8400),
                "input_ids:INT64[1, 3, 640, 640]");
    }

    @Test
    void classifierOutputIsNotYolo() {
        assertNotYolo(in(1, 3, 224, 224), List.of(spec("logits", "FLOAT", 1, 1000)), "logits:FLOAT[1, 1000]");
    }

    @Test
    void tooFewOutputRowsIsNotYolo() {
        assertNotYolo(in(1, 3, 640, 640), out(1, 4, 8400), "[1, 4, 8400]");
    }

    @Test
    void symbolicBatchOnBothIsDynamic() {
        ModelContract c = ModelContract.of(in(-1, 3, 640, 640), out(-1, 84, 8400),
                meta("names", pythonDict(CocoClasses.NAMES)));
        assertTrue(c.batchDynamic());
        assertEquals(8400, c.anchors());
    }

    @Test
    void fixedBatchOtherThanOneIsRefused() {
        assertNotYolo(in(4, 3, 640, 640), out(4, 84, 8400), "[4, 3, 640, 640]");
    }

    @Test
    void classNamesAreImmutable() {
        List<String> names = new ArrayList<>(List.of("x", "y"));
        ModelContract c = new ModelContract("i", 640, 640, "o", 8400, names, false);
        names.add("z");
        assertEquals(2, c.numClasses());
        assertThrows(UnsupportedOperationException.class, () -> c.classNames().add("w"));
    }
}
