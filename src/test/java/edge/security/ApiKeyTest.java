package edge.security;

import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import com.google.protobuf.ByteString;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import grpc.health.v1.HealthOuterClass.HealthCheckRequest;
import grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(ApiKeyTest.WithKeys.class)
class ApiKeyTest {

    public static class WithKeys implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.api.keys", "first-key,second-key", "edge.admin.key", "admin-key",
                    "quarkus.log.category.\"edge.security\".level", "DEBUG");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private static RequestSpecification bus() {
        return RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"));
    }

    @Test
    void restNeedsOneOfTheKeysAndNeverLogsThem() {
        List<String> logged = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logged.add(String.valueOf(record.getMessage()) + " " + java.util.Arrays.toString(record.getParameters()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger.getLogger("").addHandler(capture);
        try {
            bus().post("/count").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                    .body("error", containsString("X-API-Key"));
            bus().header("X-API-Key", "a-wrong-key-7f3a").post("/count").then().statusCode(401);
            bus().header("X-API-Key", "first-key").post("/count").then().statusCode(200)
                    .body("report", equalTo("person 4, bus 1"));
            bus().header("Authorization", "Bearer second-key").post("/detect").then().statusCode(200);
            bus().header("Authorization", "Bearer admin-key").post("/annotate").then().statusCode(200);
            RestAssured.get("/v2/models").then().statusCode(401);
            RestAssured.get("/cameras").then().statusCode(401);
        } finally {
            java.util.logging.Logger.getLogger("").removeHandler(capture);
        }
        assertTrue(logged.stream().anyMatch(l -> l.contains("no valid API key")), "refusals are logged: " + logged);
        assertTrue(logged.stream().noneMatch(l -> l.contains("a-wrong-key-7f3a") || l.contains("first-key")),
                "keys are never logged");
    }

    @Test
    void probesMetricsAndTheAdminApiKeepTheirOwnRules() {
        RestAssured.get("/q/health/ready").then().statusCode(200);
        RestAssured.get("/q/metrics").then().statusCode(200);
        // The admin API takes the admin key, not an API key.
        RestAssured.given().header("X-API-Key", "first-key").get("/models").then().statusCode(401);
    }

    @Test
    void grpcNeedsAKeyInItsMetadataButHealthDoesNot() throws InterruptedException {
        ManagedChannel channel = Grpc.channel(base);
        try {
            DetectRequest request = DetectRequest.newBuilder()
                    .setImage(ByteString.copyFrom(Fixtures.imageBytes("bus.jpg"))).build();
            DetectionServiceGrpc.DetectionServiceBlockingStub anonymous = DetectionServiceGrpc.newBlockingStub(channel)
                    .withDeadlineAfter(30, TimeUnit.SECONDS);
            Grpc.assertStatus(Status.Code.UNAUTHENTICATED, "API key", () -> anonymous.count(request));

            Metadata metadata = new Metadata();
            metadata.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), "second-key");
            assertEquals("person 4, bus 1", anonymous.withInterceptors(
                    MetadataUtils.newAttachHeadersInterceptor(metadata)).count(request).getReport());

            assertEquals("SERVING", HealthGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.getDefaultInstance()).getStatus().name());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
