package edge.scheduler;

import com.google.protobuf.ByteString;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A small queue under a burst: refusals are 429 / RESOURCE_EXHAUSTED, and every request gets exactly one answer. */
@QuarkusTest
@TestProfile(BackPressureTest.SmallQueue.class)
class BackPressureTest {

    public static class SmallQueue implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.batch.queue-size", "2", "edge.batch.timeout", "10s");
        }
    }

    @TestHTTPResource("/")
    URL base;

    @Test
    void aFullQueueAnswers429WithRetryAfterAndNothingIsLost() throws Exception {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        List<Callable<Response>> calls = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            calls.add(() -> given().contentType("image/jpeg").body(bus).post("/count"));
        }
        List<Response> answers = Concurrent.run(12, calls);
        int ok = 0;
        int refused = 0;
        for (Response r : answers) {
            if (r.statusCode() == 200) {
                ok++;
                assertEquals("person 4, bus 1", r.jsonPath().getString("report"));
            } else {
                assertEquals(429, r.statusCode(), r.asString());
                assertEquals("1", r.header("Retry-After"));
                assertTrue(r.jsonPath().getString("error").contains("edge.batch.queue-size"));
                refused++;
            }
        }
        assertEquals(12, ok + refused, "every request got exactly one answer");
        assertTrue(ok >= 2, "the admitted requests were answered: " + ok);
        assertTrue(refused >= 1, "a burst of 12 over a queue of 2 is partly refused: " + refused);
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("edge_scheduler_rejected_total{reason=\"queue_full\"}"));
    }

    @Test
    void grpcRefusesWithResourceExhausted() throws Exception {
        ManagedChannel channel = Grpc.channel(base);
        try {
            DetectRequest request = DetectRequest.newBuilder()
                    .setImage(ByteString.copyFrom(Fixtures.imageBytes("bus.jpg"))).build();
            List<Callable<String>> calls = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                calls.add(() -> {
                    try {
                        return DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS)
                                .count(request).getReport();
                    } catch (StatusRuntimeException e) {
                        return e.getStatus().getCode().name();
                    }
                });
            }
            List<String> answers = Concurrent.run(12, calls);
            assertEquals(12, answers.size());
            long ok = answers.stream().filter("person 4, bus 1"::equals).count();
            long exhausted = answers.stream().filter("RESOURCE_EXHAUSTED"::equals).count();
            assertEquals(12, ok + exhausted, answers.toString());
            assertTrue(ok >= 2 && exhausted >= 1, answers.toString());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
