package edge.scheduler;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Requests that wait longer than edge.batch.timeout are answered 503 and never reach the model. */
@QuarkusTest
@TestProfile(QueueTimeoutTest.ShortTimeout.class)
class QueueTimeoutTest {

    public static class ShortTimeout implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // One inference takes ~50 ms here: a request queued behind two others waits longer than 20 ms.
            return Map.of("edge.batch.queue-size", "8", "edge.batch.timeout", "20ms");
        }
    }

    @Test
    void staleRequestsAre503AndTheRestSucceed() throws Exception {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(() -> given().contentType("image/jpeg").body(bus).post("/count"));
        }
        List<Response> answers = Concurrent.run(8, calls);
        long ok = answers.stream().filter(r -> r.statusCode() == 200).count();
        long stale = answers.stream().filter(r -> r.statusCode() == 503
                && r.jsonPath().getString("error").contains("edge.batch.timeout")).count();
        assertEquals(8, ok + stale, answers.stream().map(Response::asString).toList().toString());
        assertTrue(ok >= 1 && stale >= 1, "ok " + ok + ", timed out " + stale);
    }
}
