package edge.api.rest;

import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.BadInputs;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad-input suite (issue 9): every body of {@link BadInputs} gets its status and a clear message, over REST,
 * and the service answers a good image right after. RSS across 1000 rounds is measured by its own command
 * (RELIABILITY.md), not here.
 */
@QuarkusTest
class BadInputSuiteTest {

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicTest> everyBodyGetsItsStatusAndAMessage() {
        return BadInputs.all().stream().map(c -> DynamicTest.dynamicTest(c.name(), () -> {
            Response r = RestAssured.given().contentType(c.contentType()).body(c.body()).post("/count");
            assertEquals(c.status(), r.statusCode(), c.name() + ": " + r.asString());
            if (c.status() == 200) {
                // Decoded is not enough: the converted bus picture must count as bus.jpg does (a CMYK JPEG read with
                // its channels inverted, a 16-bit PNG scaled wrong or an alpha channel fed as a colour all answer 200
                // with other counts), and the 1x1 image must count nothing rather than something.
                assertEquals(c.report(), r.jsonPath().getString("report"), c.name() + ": " + r.asString());
                int total = r.jsonPath().getInt("total");
                Map<String, Integer> counts = r.jsonPath().getMap("counts", String.class, Integer.class);
                assertEquals(counts.values().stream().mapToInt(Integer::intValue).sum(), total, c.name() + ": " + r.asString());
                assertEquals(c.report().isEmpty(), counts.isEmpty(), c.name() + ": " + r.asString());
            } else {
                String error = r.jsonPath().getString("error");
                assertTrue(error != null && error.length() > 10, "a clear message: " + r.asString());
                if (c.messagePart() != null) {
                    assertTrue(error.contains(c.messagePart()), c.name() + ": " + error);
                }
                assertEquals(c.status(), r.jsonPath().getInt("status"));
            }
        }));
    }

    @Test
    void aOneByOneImageIsDetectedAsAOneByOneFrameWithNothingInIt() {
        byte[] tiny = BadInputs.all().stream().filter(c -> c.name().equals("1x1 image")).findFirst().orElseThrow().body();
        RestAssured.given().contentType("image/png").body(tiny).post("/detect").then().statusCode(200)
                .body("image.width", equalTo(1)).body("image.height", equalTo(1))
                .body("detections.size()", equalTo(0));
    }

    @Test
    void anExifRotatedImageCountsUprightInItsTurnedFrame() {
        byte[] rotated = BadInputs.all().stream().filter(c -> c.name().equals("EXIF-rotated JPEG")).findFirst()
                .orElseThrow().body();
        RestAssured.given().contentType("image/jpeg").body(rotated).post("/detect").then().statusCode(200)
                .body("image.width", equalTo(810)).body("image.height", equalTo(1080));
        RestAssured.given().contentType("image/jpeg").body(rotated).post("/count").then().statusCode(200)
                .body("report", equalTo("person 4, bus 1"));
    }

    @Test
    void malformedRequestsOfTheOtherApis() {
        RestAssured.given().multiPart("picture", "bus.jpg", Fixtures.imageBytes("bus.jpg"), "image/jpeg")
                .post("/count").then().statusCode(400).body("error", containsString("image"));
        RestAssured.given().contentType("application/json").body("{\"inputs\": [ {\"name\": ")
                .post("/v2/models/yolov8n-int8-dynamic/infer").then().statusCode(400)
                .body("error", containsString("JSON"));
        RestAssured.given().contentType("application/json").body("{\"inputs\": \"not a list\"}")
                .post("/v2/models/yolov8n-int8-dynamic/infer").then().statusCode(400);
    }

    /** Raw bytes as a DetectRequest: what a client with another (or a broken) .proto sends. */
    private static final MethodDescriptor.Marshaller<byte[]> RAW = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    /** Not protobuf at all (a length prefix that runs past the end): INVALID_ARGUMENT naming this method only. */
    private static void assertMalformedNamesItsMethod(ManagedChannel channel, MethodDescriptor<byte[], byte[]> method,
                                                      String otherMethod) {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> ClientCalls.blockingUnaryCall(
                channel, method, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                new byte[] {0x0a, 0x7f, 0x01}));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode(), e.getMessage());
        String description = String.valueOf(e.getStatus().getDescription());
        assertTrue(description.contains("not a valid message"), description);
        assertTrue(description.contains(method.getFullMethodName()), method.getFullMethodName() + ": " + description);
        assertFalse(description.contains(otherMethod), description);
    }

    @Test
    void grpcMessagesWithWrongFieldTypesAreRefused() throws InterruptedException {
        MethodDescriptor<byte[], byte[]> count = DetectionServiceGrpc.getCountMethod().toBuilder(RAW, RAW).build();
        ManagedChannel channel = Grpc.channel(base);
        try {
            // Field 1 (image, bytes) sent as a varint: protobuf keeps it as an unknown field, the image is empty.
            StatusRuntimeException wrongType = assertThrows(StatusRuntimeException.class, () -> ClientCalls
                    .blockingUnaryCall(channel, count, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                            new byte[] {0x08, 0x05}));
            assertEquals(Status.Code.INVALID_ARGUMENT, wrongType.getStatus().getCode());
            assertTrue(wrongType.getStatus().getDescription().contains("empty"), wrongType.getMessage());
            // Not protobuf at all: a length prefix that runs past the end.
            StatusRuntimeException garbage = assertThrows(StatusRuntimeException.class, () -> ClientCalls
                    .blockingUnaryCall(channel, count, io.grpc.CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS),
                            new byte[] {0x0a, 0x7f, 0x01}));
            assertEquals(Status.Code.INVALID_ARGUMENT, garbage.getStatus().getCode(), garbage.getMessage());
            // MalformedRequestInterceptor's answer names the method called, so the client knows which .proto to check.
            assertMalformedNamesItsMethod(channel, count, DetectionServiceGrpc.getDetectMethod().getFullMethodName());
            MethodDescriptor<byte[], byte[]> detect = DetectionServiceGrpc.getDetectMethod().toBuilder(RAW, RAW).build();
            assertMalformedNamesItsMethod(channel, detect, DetectionServiceGrpc.getCountMethod().getFullMethodName());
        } finally {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        // And the service still answers.
        RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("report", equalTo("person 4, bus 1"));
    }
}
