package edge.api.rest;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** A YOLO11 export with a 320x320 input and output [1,84,2100]: nothing assumes 640 or 8400. */
@QuarkusTest
@TestProfile(Yolo11ModelTest.Yolo11At320.class)
class Yolo11ModelTest {

    public static class Yolo11At320 implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.model.path", Fixtures.model(Fixtures.YOLO11_320).toString(),
                    "edge.model.name", "yolo11n-320");
        }
    }

    @Test
    void a320InputModelWorksUnchanged() {
        // Reference (MODELS.md): 4 person, 1 bus and a backpack at 0.30 on bus.jpg. The backpack sits on the
        // threshold: this pipeline (OpenCV's libjpeg-turbo decode + INTER_LINEAR, as Ultralytics does) scores it
        // 0.22, a Java ImageIO decode 0.25-0.30, so only the clear objects are asserted.
        DetectResourceTest.postImage("/count", "bus.jpg").then().statusCode(200)
                .body("model.name", equalTo("yolo11n-320"))
                .body("counts.person", equalTo(4)).body("counts.bus", equalTo(1));
        DetectResourceTest.postImage("/count", "zidane.jpg").then().statusCode(200)
                .body("counts", equalTo(Map.of("person", 2)));
    }
}
