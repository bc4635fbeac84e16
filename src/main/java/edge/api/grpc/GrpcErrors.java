package edge.api.grpc;

import edge.api.Failure;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;

import java.util.function.Supplier;

/** The gRPC status of every failure of the pipeline: {@link Failure}'s table, the same words as the REST API. */
public final class GrpcErrors {

    private GrpcErrors() {
    }

    /** Answers a unary call with the work's result, or with the status of its failure. */
    public static <T> void answer(StreamObserver<T> responses, Supplier<T> work) {
        T response;
        try {
            response = work.get();
        } catch (RuntimeException e) {
            responses.onError(toStatus(e));
            return;
        }
        responses.onNext(response);
        responses.onCompleted();
    }

    public static StatusRuntimeException toStatus(Throwable e) {
        if (e instanceof StatusRuntimeException already) {
            return already;
        }
        Failure failure = Failure.of(e);
        return Status.fromCode(failure.grpc()).withDescription(failure.message()).asRuntimeException();
    }
}
