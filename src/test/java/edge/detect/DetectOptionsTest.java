package edge.detect;

import edge.model.CocoClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edge.detect.DetectOptions.DetectDefaults;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class DetectOptionsTest {

    private static final DetectDefaults DEFAULTS = new DetectDefaults(0.25f, 0.45f, 300, 1000);
    private static final List<String> COCO = CocoClasses.NAMES;

    private static DetectParams resolve(Float conf, Float iou, Integer maxDet, String... classes) {
        return new DetectOptions(conf, iou, maxDet, List.of(classes)).resolve(DEFAULTS, COCO);
    }

    private static void assertInvalid(String mentions, Float conf, Float iou, Integer maxDet, String... classes) {
        InvalidRequest e = assertThrows(InvalidRequest.class, () -> resolve(conf, iou, maxDet, classes));
        assertTrue(e.getMessage().contains(mentions), e.getMessage());
    }

    @Test
    void defaultsApplied() {
        DetectParams p = DetectOptions.DEFAULTS.resolve(DEFAULTS, COCO);
        assertEquals(0.25f, p.conf());
        assertEquals(0.45f, p.iou());
        assertEquals(300, p.maxDet());
        assertEquals(Set.of(), p.classes());
        assertTrue(p.keeps(0) && p.keeps(79));
    }

    @Test
    void nullClassListIsEmpty() {
        DetectParams p = new DetectOptions(null, null, null, null).resolve(DEFAULTS, COCO);
        assertEquals(Set.of(), p.classes());
    }

    @Test
    void givenValuesOverrideDefaults() {
        DetectParams p = resolve(0.5f, 0.7f, 10);
        assertEquals(0.5f, p.conf());
        assertEquals(0.7f, p.iou());
        assertEquals(10, p.maxDet());
    }

    @Test
    void boundsAreInclusive() {
        DetectParams low = resolve(0f, 0f, 1);
        assertEquals(0f, low.conf());
        assertEquals(0f, low.iou());
        assertEquals(1, low.maxDet());
        DetectParams high = resolve(1f, 1f, 1000);
        assertEquals(1f, high.conf());
        assertEquals(1f, high.iou());
        assertEquals(1000, high.maxDet());
    }

    @Test
    void confOutOfRange() {
        assertInvalid("conf", 1.5f, null, null);
        assertInvalid("conf", -0.01f, null, null);
        assertInvalid("conf", Float.NaN, null, null);
    }

    @Test
    void iouOutOfRange() {
        assertInvalid("iou", null, 1.01f, null);
        assertInvalid("iou", null, -1f, null);
        assertInvalid("iou", null, Float.NaN, null);
    }

    @Test
    void maxDetOutOfRange() {
        assertInvalid("maxDet", null, null, 0);
        assertInvalid("maxDet", null, null, -5);
        assertInvalid("1000", null, null, 1001);
    }

    @Test
    void classesByNameAndById() {
        assertEquals(Set.of(0, 5), resolve(null, null, null, "person", "bus").classes());
        assertEquals(Set.of(0, 5), resolve(null, null, null, "0", "5").classes());
        assertEquals(Set.of(0, 9, 79), resolve(null, null, null, "traffic light", "0", "79", "person").classes());
        DetectParams p = resolve(null, null, null, "bus");
        assertTrue(p.keeps(5));
        assertTrue(!p.keeps(0));
    }

    @Test
    void unknownClassIsInvalid() {
        assertInvalid("unicorn", null, null, null, "person", "unicorn");
        assertInvalid("'80'", null, null, null, "80");
        assertInvalid("'-1'", null, null, null, "-1");
        assertInvalid("'Person'", null, null, null, "Person");
    }

    @Test
    void customClassNames() {
        DetectParams p = new DetectOptions(null, null, null, List.of("nut", "0"))
                .resolve(DEFAULTS, List.of("bolt", "o'ring", "nut"));
        assertEquals(Set.of(0, 2), p.classes());
        assertThrows(InvalidRequest.class, () -> new DetectOptions(null, null, null, List.of("3"))
                .resolve(DEFAULTS, List.of("bolt", "o'ring", "nut")));
    }

    @Test
    void splitClasses() {
        assertEquals(List.of("person", "bus", "0"), DetectOptions.splitClasses("person, bus,,0"));
        assertEquals(List.of("traffic light"), DetectOptions.splitClasses(" traffic light ,"));
        assertEquals(List.of(), DetectOptions.splitClasses(""));
        assertEquals(List.of(), DetectOptions.splitClasses(" , ,"));
        assertEquals(List.of(), DetectOptions.splitClasses(null));
    }
}
