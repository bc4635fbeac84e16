package edge.api.grpc;

import com.google.protobuf.ByteString;
import edge.api.grpc.v1.CountResponse;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectResponse;
import edge.api.grpc.v1.Detection;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import edge.testing.ImageBytes;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The own gRPC API with generated stubs over the service's HTTP port (HTTP/2 cleartext). */
@QuarkusTest
class GrpcApiTest {

    @TestHTTPResource("/")
    URL base;

    private ManagedChannel channel;
    private DetectionServiceGrpc.DetectionServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        channel = Grpc.channel(base);
        stub = DetectionServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    static DetectRequest request(String image) {
        return DetectRequest.newBuilder().setImage(ByteString.copyFrom(Fixtures.imageBytes(image))).build();
    }

    @Test
    void detectFindsFourPeopleAndABus() {
        DetectResponse r = stub.detect(request("bus.jpg"));
        assertEquals(Map.of("person", 4, "bus", 1), r.getCountsMap());
        assertEquals(5, r.getDetectionsCount());
        assertEquals("yolov8n-int8-dynamic", r.getModel().getName());
        assertEquals(810, r.getImage().getWidth());
        assertEquals("person 4, bus 1", r.getReport());
        assertTrue(r.getTimings().getInferenceMs() > 0);
    }

    @Test
    void countGivesTheReport() {
        CountResponse r = stub.count(request("bus.jpg").toBuilder().setCamera("dock-3").build());
        assertEquals("person 4, bus 1", r.getReport());
        assertEquals(5, r.getTotal());
        assertEquals("person", r.getOrderedCounts(0).getLabel());
        assertEquals("dock-3", r.getCamera());
    }

    @Test
    void theSceneCacheAnswersOverGrpcToo() {
        DetectRequest frame = request("zidane.jpg").toBuilder().setCamera("grpc-cam").build();
        DetectResponse first = stub.detect(frame);
        assertTrue(first.hasCache());
        assertEquals(false, first.getCache().getHit());
        DetectResponse second = stub.detect(frame);
        assertEquals(true, second.getCache().getHit());
        assertEquals(first.getCache().getScene(), second.getCache().getScene());
        assertEquals(first.getDetectionsList(), second.getDetectionsList());
        assertEquals(false, stub.detect(frame.toBuilder().setCache(false).build()).hasCache());
    }

    @Test
    void parametersApplyAndUnsetMeansDefault() {
        assertEquals("bus 1", stub.count(request("bus.jpg").toBuilder().addClasses("bus").build()).getReport());
        assertEquals("person 3, bus 1", stub.count(request("bus.jpg").toBuilder().setConf(0.5f).build()).getReport());
        assertEquals("person 2", stub.count(request("bus.jpg").toBuilder().addClasses("0").setMaxDet(2).build())
                .getReport());
    }

    @Test
    void streamAnswersEveryFrameInOrder() throws InterruptedException {
        List<DetectResponse> answers = new CopyOnWriteArrayList<>();
        CountDownLatch done = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        StreamObserver<DetectRequest> frames = DetectionServiceGrpc.newStub(channel).detectStream(new StreamObserver<>() {
            @Override
            public void onNext(DetectResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                failure[0] = t;
                done.countDown();
            }

            @Override
            public void onCompleted() {
                done.countDown();
            }
        });
        for (int i = 0; i < 20; i++) {
            frames.onNext(request(i % 2 == 0 ? "bus.jpg" : "zidane.jpg").toBuilder().setCamera("frame-" + i).build());
        }
        frames.onCompleted();
        assertTrue(done.await(120, TimeUnit.SECONDS), "the stream ends");
        assertEquals(null, failure[0]);
        assertEquals(20, answers.size());
        for (int i = 0; i < 20; i++) {
            assertEquals("frame-" + i, answers.get(i).getCamera());
            assertEquals(i % 2 == 0 ? "person 4, bus 1" : "person 2, tie 1", answers.get(i).getReport());
        }
    }

    @Test
    void restAndGrpcGiveIdenticalResults() {
        DetectResponse grpc = stub.detect(request("zidane.jpg").toBuilder().setConf(0.1f).build());
        Response rest = given().contentType("image/jpeg").body(Fixtures.imageBytes("zidane.jpg"))
                .queryParam("conf", 0.1).post("/detect");
        List<Map<String, Object>> restDetections = rest.jsonPath().getList("detections");
        // zidane.jpg at conf 0.1 holds at least its two people and the tie: an empty pair would compare nothing.
        assertTrue(restDetections.size() >= 3, "detections over REST: " + restDetections);
        assertEquals(restDetections.size(), grpc.getDetectionsCount());
        for (int i = 0; i < grpc.getDetectionsCount(); i++) {
            Detection g = grpc.getDetections(i);
            Map<String, Object> r = restDetections.get(i);
            assertEquals(r.get("label"), g.getLabel());
            assertEquals(((Number) r.get("classId")).intValue(), g.getClassId());
            assertEquals(((Number) r.get("confidence")).floatValue(), g.getConfidence());
            Map<String, Number> box = (Map<String, Number>) r.get("box");
            assertEquals(box.get("x1").floatValue(), g.getBox().getX1());
            assertEquals(box.get("y2").floatValue(), g.getBox().getY2());
        }
    }

    @Test
    void badImagesAreInvalidArgument() {
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "empty",
                () -> stub.detect(DetectRequest.newBuilder().build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "not an image",
                () -> stub.count(DetectRequest.newBuilder().setImage(ByteString.copyFromUtf8("hello")).build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "conf must be between 0 and 1",
                () -> stub.detect(request("bus.jpg").toBuilder().setConf(3f).build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "unknown class",
                () -> stub.detect(request("bus.jpg").toBuilder().addClasses("unicorn").build()));
    }

    @Test
    void oversizeIsResourceExhausted() {
        Grpc.assertStatus(Status.Code.RESOURCE_EXHAUSTED, "60000x60000", () -> stub.detect(DetectRequest.newBuilder()
                .setImage(ByteString.copyFrom(ImageBytes.pngClaiming(60000, 60000))).build()));
        // One byte over edge.image.max-bytes (20M here) fits in a gRPC message (the limit is max-bytes + 64 KiB): the
        // service itself refuses it, with the REST API's message.
        byte[] overImageLimit = new byte[20 * 1024 * 1024 + 1];
        Grpc.assertStatus(Status.Code.RESOURCE_EXHAUSTED, "edge.image.max-bytes",
                () -> stub.detect(DetectRequest.newBuilder().setImage(ByteString.copyFrom(overImageLimit)).build()));
        // Over the message limit, gRPC (Vert.x) itself refuses the message before the service sees it: the status is
        // all a client gets (no description), so the status is what is checked.
        byte[] big = new byte[21 * 1024 * 1024];
        StatusRuntimeException refused = assertThrows(StatusRuntimeException.class,
                () -> stub.detect(DetectRequest.newBuilder().setImage(ByteString.copyFrom(big)).build()));
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, refused.getStatus().getCode(), String.valueOf(refused.getStatus()));
        // The service is still there.
        assertEquals("person 2, tie 1", stub.count(request("zidane.jpg")).getReport());
    }

}
