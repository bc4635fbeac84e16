package edge.api.rest;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** A service whose configured model is not a detector: alive, not ready, and 503 with the reason. */
@QuarkusTest
@TestProfile(NoModelTest.NotADetector.class)
class NoModelTest {

    public static class NotADetector implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A real image where a model should be: refused at start, never crashes the service.
            return Map.of("edge.model.path", Fixtures.image("bus.jpg").toString());
        }
    }

    @Test
    void detectionAnswers503WithTheReason() {
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).when().post("/detect")
                .then().statusCode(503).contentType("application/json")
                .header("Retry-After", equalTo("5"))
                .body("status", equalTo(503))
                .body("error", containsString("cannot load bus.jpg as an ONNX model"));
    }

    @Test
    void liveButNotReady() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks[0].data.reason", containsString("bus.jpg"));
    }
}
