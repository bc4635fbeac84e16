package edge.detect;

import edge.model.CocoClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edge.detect.DetectionResult.ImageSize;
import edge.detect.DetectionResult.Timings;
import edge.model.ModelInfo;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

class DetectionResultTest {

    private static final ModelInfo MODEL = new ModelInfo("yolov8n", "1", "abc");
    private static final ImageSize IMAGE = new ImageSize(640, 480);
    private static final Timings TIMINGS = new Timings(1, 2, 3, 4, 10);

    private static List<Detection> detections(String... labels) {
        List<Detection> out = new ArrayList<>();
        float conf = 0.99f;
        for (String label : labels) {
            out.add(new Detection(CocoClasses.NAMES.indexOf(label), label, conf, new Box(0, 0, 10, 10)));
            conf -= 0.01f;
        }
        return out;
    }

    @Test
    void countsByCountThenName() {
        DetectionResult r = DetectionResult.of(MODEL, IMAGE, detections(
                "car", "person", "bicycle", "traffic light", "person", "car", "person", "bicycle", "person",
                "car", "person"), TIMINGS);
        assertEquals(List.of("person", "car", "bicycle", "traffic light"), List.copyOf(r.counts().keySet()));
        assertEquals(List.of(5, 3, 2, 1), List.copyOf(r.counts().values()));
        assertEquals("person 5, car 3, bicycle 2, traffic light 1", r.report());
        assertEquals(11, r.total());
    }

    @Test
    void tiesAreOrderedByName() {
        DetectionResult r = DetectionResult.of(MODEL, IMAGE, detections(
                "dog", "cat", "dog", "bird", "cat", "zebra", "zebra"), TIMINGS);
        assertEquals("cat 2, dog 2, zebra 2, bird 1", r.report());
    }

    @Test
    void noDetectionsGiveAnEmptyReport() {
        DetectionResult r = DetectionResult.of(MODEL, IMAGE, List.of(), TIMINGS);
        assertEquals("", r.report());
        assertTrue(r.counts().isEmpty());
        assertEquals(0, r.total());
    }

    @Test
    void detectionsKeepTheirOrder() {
        List<Detection> ds = detections("bus", "person", "person");
        DetectionResult r = DetectionResult.of(MODEL, IMAGE, ds, TIMINGS);
        assertEquals(ds, r.detections());
        assertEquals("person 2, bus 1", r.report());
    }
}
