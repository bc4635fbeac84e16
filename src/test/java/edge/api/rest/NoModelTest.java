package edge.api.rest;

import com.google.protobuf.ByteString;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.api.kserve.grpc.GRPCInferenceServiceGrpc;
import edge.api.kserve.grpc.ServerLiveRequest;
import edge.api.kserve.grpc.ServerReadyRequest;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @TestHTTPResource("/")
    URL base;

    @Test
    void grpcAnswersUnavailable() throws InterruptedException {
        ManagedChannel channel = Grpc.channel(base);
        try {
            var stub = DetectionServiceGrpc.newBlockingStub(channel);
            Grpc.assertStatus(Status.Code.UNAVAILABLE, "bus.jpg", () -> stub.detect(DetectRequest.newBuilder()
                    .setImage(ByteString.copyFrom(Fixtures.imageBytes("bus.jpg"))).build()));
            var kserve = GRPCInferenceServiceGrpc.newBlockingStub(channel);
            assertFalse(kserve.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
            assertTrue(kserve.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        given().when().get("/v2/health/ready").then().statusCode(400).body("ready", equalTo(false));
        given().when().get("/v2/models/yolov8n-int8-dynamic").then().statusCode(503);
    }

    @Test
    void liveButNotReady() {
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/health/ready").then().statusCode(503)
                .body("status", equalTo("DOWN"))
                .body("checks.find { it.name == 'model' }.data.reason", containsString("bus.jpg"));
    }
}
