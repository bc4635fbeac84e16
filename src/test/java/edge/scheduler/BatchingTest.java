package edge.scheduler;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batching on, with the QDQ model (rewritten to a dynamic batch at load time): concurrent answers still equal
 * single ones, and calls really carried more than one image.
 */
@QuarkusTest
@TestProfile(BatchingTest.Batching.class)
class BatchingTest {

    public static class Batching implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.model.path", Fixtures.model(Fixtures.QDQ).toString(),
                    "edge.batch.max-size", "4", "edge.batch.max-delay", "20ms");
        }
    }

    @Test
    void batchedAnswersEqualSingleAnswers() throws Exception {
        ConcurrencyTest.assertConcurrentEqualsSingle();
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double calls = value(metrics, "edge_scheduler_batch_size_count");
        double images = value(metrics, "edge_scheduler_batch_size_sum");
        assertTrue(images > calls, "some calls carried several images: " + images + " images in " + calls + " calls");
    }

    static double value(String metrics, String name) {
        return metrics.lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }
}
