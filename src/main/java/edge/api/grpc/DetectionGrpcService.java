package edge.api.grpc;

import edge.api.grpc.v1.CountResponse;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectResponse;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.detect.DetectOptions;
import edge.detect.DetectionPipeline;
import edge.detect.DetectionResult;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.util.concurrent.atomic.AtomicBoolean;

/** {@code edge.detection.v1.DetectionService}: the pipeline over gRPC, on worker threads. */
@GrpcService
@Blocking
public class DetectionGrpcService extends DetectionServiceGrpc.DetectionServiceImplBase {

    private final DetectionPipeline pipeline;

    public DetectionGrpcService(DetectionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    @Override
    public void detect(DetectRequest request, StreamObserver<DetectResponse> responses) {
        GrpcErrors.answer(responses, () -> detect(request));
    }

    @Override
    public void count(DetectRequest request, StreamObserver<CountResponse> responses) {
        GrpcErrors.answer(responses, () -> ProtoMapping.countResponse(
                pipeline.detect(request.getImage().toByteArray(), options(request), scene(request)), request.getCamera()));
    }

    /**
     * One response per frame, in order. Flow control is manual: the next frame is requested only after the
     * previous answer was handed to gRPC and the client can take more, so neither side buffers without bound.
     */
    @Override
    public StreamObserver<DetectRequest> detectStream(StreamObserver<DetectResponse> responses) {
        ServerCallStreamObserver<DetectResponse> call = (ServerCallStreamObserver<DetectResponse>) responses;
        call.disableAutoRequest();
        AtomicBoolean wantsNext = new AtomicBoolean(false);
        AtomicBoolean failed = new AtomicBoolean(false);
        call.setOnReadyHandler(() -> {
            if (call.isReady() && wantsNext.compareAndSet(true, false)) {
                call.request(1);
            }
        });
        call.request(1);
        return new StreamObserver<>() {
            @Override
            public void onNext(DetectRequest frame) {
                if (failed.get()) {
                    return;
                }
                try {
                    call.onNext(detect(frame));
                } catch (RuntimeException e) {
                    failed.set(true);
                    call.onError(GrpcErrors.toStatus(e));
                    return;
                }
                wantsNext.set(true);
                if (call.isReady() && wantsNext.compareAndSet(true, false)) {
                    call.request(1);
                }
            }

            @Override
            public void onError(Throwable t) {
                // The client went away or cancelled: nothing left to answer.
            }

            @Override
            public void onCompleted() {
                if (!failed.get()) {
                    call.onCompleted();
                }
            }
        };
    }

    private DetectResponse detect(DetectRequest request) {
        DetectionResult result = pipeline.detect(request.getImage().toByteArray(), options(request), scene(request));
        return ProtoMapping.detectResponse(result, request.getCamera());
    }

    static DetectionPipeline.Scene scene(DetectRequest request) {
        return new DetectionPipeline.Scene(request.getCamera(), request.hasCache() ? request.getCache() : null);
    }

    static DetectOptions options(DetectRequest request) {
        return new DetectOptions(
                request.hasConf() ? request.getConf() : null,
                request.hasIou() ? request.getIou() : null,
                request.hasMaxDet() ? request.getMaxDet() : null,
                request.getClassesList());
    }
}
