package edge.api.grpc;

import edge.api.grpc.v1.CountResponse;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectResponse;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.detect.DetectOptions;
import edge.detect.DetectionPipeline;
import edge.detect.DetectionResult;
import edge.config.GrpcStreamConfig;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** {@code edge.detection.v1.DetectionService}: the pipeline over gRPC, on worker threads. */
@GrpcService
@Blocking
public class DetectionGrpcService extends DetectionServiceGrpc.DetectionServiceImplBase {

    /** One timer for the idle checks of every stream (a check is a comparison, the timer is never busy). */
    private static final ScheduledExecutorService IDLE_TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "edge-grpc-stream-idle");
        thread.setDaemon(true);
        return thread;
    });

    private final DetectionPipeline pipeline;
    private final GrpcStreamConfig limits;

    public DetectionGrpcService(DetectionPipeline pipeline, GrpcStreamConfig limits) {
        this.pipeline = pipeline;
        this.limits = limits;
    }

    @Override
    public void detect(DetectRequest request, StreamObserver<DetectResponse> responses) {
        GrpcErrors.answer(responses, () -> detect(request));
    }

    @Override
    public void count(DetectRequest request, StreamObserver<CountResponse> responses) {
        GrpcErrors.answer(responses, () -> ProtoMapping.countResponse(
                pipeline.detect(request.getImage().toByteArray(), options(request), origin(request)), request.getCamera()));
    }

    /**
     * One response per frame, in order. Flow control is manual: the next frame is requested only after the
     * previous answer was handed to gRPC and the client can take more, so neither side buffers without bound.
     */
    @Override
    public StreamObserver<DetectRequest> detectStream(StreamObserver<DetectResponse> responses) {
        return new FrameStream((ServerCallStreamObserver<DetectResponse>) responses);
    }

    /**
     * One client's stream. gRPC calls onNext/onCompleted one at a time, but the idle timer runs on its own thread:
     * everything that answers the client holds this object's lock, and nothing is answered after the stream ended.
     */
    private final class FrameStream implements StreamObserver<DetectRequest> {
        private final ServerCallStreamObserver<DetectResponse> call;
        private final AtomicBoolean wantsNext = new AtomicBoolean(false);
        private final ScheduledFuture<?> idleCheck;
        private boolean ended;
        private long frames;
        private volatile long lastFrame = System.nanoTime();

        FrameStream(ServerCallStreamObserver<DetectResponse> call) {
            this.call = call;
            call.disableAutoRequest();
            call.setOnReadyHandler(this::requestIfReady);
            call.setOnCancelHandler(this::stop);
            long period = Math.max(50, limits.idleTimeout().toMillis() / 4);
            idleCheck = IDLE_TIMER.scheduleAtFixedRate(this::checkIdle, period, period, TimeUnit.MILLISECONDS);
            call.request(1);
        }

        private void requestIfReady() {
            if (call.isReady() && wantsNext.compareAndSet(true, false)) {
                call.request(1);
            }
        }

        private void checkIdle() {
            if (System.nanoTime() - lastFrame > limits.idleTimeout().toNanos()) {
                end(Status.DEADLINE_EXCEEDED.withDescription("no frame for " + limits.idleTimeout().toSeconds()
                        + " s (edge.grpc.stream.idle-timeout): stream closed"));
            }
        }

        @Override
        public void onNext(DetectRequest frame) {
            lastFrame = System.nanoTime();
            if (++frames > limits.maxFrames()) {
                end(Status.RESOURCE_EXHAUSTED.withDescription("this stream sent " + limits.maxFrames()
                        + " frames (edge.grpc.stream.max-frames): open a new stream"));
                return;
            }
            DetectResponse response;
            try {
                response = detect(frame);
            } catch (RuntimeException e) {
                end(GrpcErrors.toStatus(e).getStatus());
                return;
            }
            synchronized (this) {
                if (ended) {
                    return;
                }
                call.onNext(response);
            }
            lastFrame = System.nanoTime();
            wantsNext.set(true);
            requestIfReady();
        }

        @Override
        public void onError(Throwable t) {
            // The client went away or cancelled: nothing left to answer.
            stop();
        }

        @Override
        public synchronized void onCompleted() {
            if (!ended) {
                ended = true;
                idleCheck.cancel(false);
                call.onCompleted();
            }
        }

        private synchronized void end(Status status) {
            if (!ended) {
                ended = true;
                idleCheck.cancel(false);
                call.onError(status.asRuntimeException());
            }
        }

        private synchronized void stop() {
            ended = true;
            idleCheck.cancel(false);
        }
    }

    private DetectResponse detect(DetectRequest request) {
        DetectionResult result = pipeline.detect(request.getImage().toByteArray(), options(request), origin(request));
        return ProtoMapping.detectResponse(result, request.getCamera());
    }

    static DetectionPipeline.Origin origin(DetectRequest request) {
        return new DetectionPipeline.Origin(request.getCamera(), request.hasCache() ? request.getCache() : null);
    }

    static DetectOptions options(DetectRequest request) {
        return new DetectOptions(
                request.hasConf() ? request.getConf() : null,
                request.hasIou() ? request.getIou() : null,
                request.hasMaxDet() ? request.getMaxDet() : null,
                request.getClassesList());
    }
}
