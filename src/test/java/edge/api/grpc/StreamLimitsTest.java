package edge.api.grpc;

import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectResponse;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The frame stream's bounds: an idle stream is closed, an endless one is cut at max-frames. */
@QuarkusTest
@TestProfile(StreamLimitsTest.Tight.class)
class StreamLimitsTest {

    public static class Tight implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.grpc.stream.idle-timeout", "1s", "edge.grpc.stream.max-frames", "3");
        }
    }

    @TestHTTPResource("/")
    URL base;

    private ManagedChannel channel;

    @BeforeEach
    void open() {
        channel = Grpc.channel(base);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private record Outcome(List<DetectResponse> answers, CompletableFuture<Status> end) {
    }

    private Outcome open(StreamObserver<DetectRequest>[] frames) {
        List<DetectResponse> answers = new CopyOnWriteArrayList<>();
        CompletableFuture<Status> end = new CompletableFuture<>();
        frames[0] = DetectionServiceGrpc.newStub(channel).detectStream(new StreamObserver<>() {
            @Override
            public void onNext(DetectResponse value) {
                answers.add(value);
            }

            @Override
            public void onError(Throwable t) {
                end.complete(Status.fromThrowable(t));
            }

            @Override
            public void onCompleted() {
                end.complete(Status.OK);
            }
        });
        return new Outcome(answers, end);
    }

    @Test
    @SuppressWarnings("unchecked")
    void anIdleStreamIsClosedAfterTheIdleTimeout() throws Exception {
        StreamObserver<DetectRequest>[] frames = new StreamObserver[1];
        Outcome outcome = open(frames);
        frames[0].onNext(GrpcApiTest.request("bus.jpg"));
        Status status = outcome.end().get(30, TimeUnit.SECONDS);
        assertEquals(Status.Code.DEADLINE_EXCEEDED, status.getCode());
        assertTrue(status.getDescription().contains("idle-timeout"), status.getDescription());
        assertEquals(1, outcome.answers().size(), "the frame sent was answered first");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aStreamEndsAtMaxFrames() throws Exception {
        StreamObserver<DetectRequest>[] frames = new StreamObserver[1];
        Outcome outcome = open(frames);
        for (int i = 0; i < 5; i++) {
            frames[0].onNext(GrpcApiTest.request("zidane.jpg"));
        }
        Status status = outcome.end().get(60, TimeUnit.SECONDS);
        assertEquals(Status.Code.RESOURCE_EXHAUSTED, status.getCode());
        assertTrue(status.getDescription().contains("max-frames"), status.getDescription());
        assertEquals(3, outcome.answers().size());
    }
}
