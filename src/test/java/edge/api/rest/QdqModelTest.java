package edge.api.rest;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.hamcrest.Matchers.equalTo;

/** The QDQ (static INT8) export of YOLOv8n, served unchanged: the same counts as the dynamic one. */
@QuarkusTest
@TestProfile(QdqModelTest.Qdq.class)
class QdqModelTest {

    public static class Qdq implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.model.path", Fixtures.model(Fixtures.QDQ).toString());
        }
    }

    @Test
    void sameCountsAsTheDynamicModel() {
        DetectResourceTest.postImage("/count", "bus.jpg").then().statusCode(200)
                .body("report", equalTo("person 4, bus 1"))
                .body("model.name", equalTo("yolov8n-int8-qdq"))
                .body("model.sha256", equalTo("5d5fcea63f9cea86f95b8156a3a22ac2fe48c31f10138c6d9679cc77f75d2a6a"));
        DetectResourceTest.postImage("/count", "zidane.jpg").then().statusCode(200)
                .body("report", equalTo("person 2, tie 1"));
    }
}
