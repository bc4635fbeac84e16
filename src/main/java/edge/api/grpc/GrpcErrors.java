package edge.api.grpc;

import edge.api.kserve.ModelNotFound;
import edge.detect.InvalidRequest;
import edge.image.ImageRejected;
import edge.model.ModelUnavailable;
import edge.scheduler.Overloaded;
import edge.scheduler.QueueTimeout;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import org.jboss.logging.Logger;

import java.util.function.Supplier;

/** The gRPC status of every failure of the pipeline, with the same message the REST API gives. */
public final class GrpcErrors {

    private static final Logger LOG = Logger.getLogger(GrpcErrors.class);

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
        Status status;
        if (e instanceof ImageRejected rejected) {
            status = switch (rejected.reason()) {
                case EMPTY, UNDECODABLE, UNSUPPORTED_FORMAT -> Status.INVALID_ARGUMENT;
                case TOO_MANY_BYTES, TOO_MANY_PIXELS -> Status.RESOURCE_EXHAUSTED;
            };
        } else if (e instanceof ModelNotFound) {
            status = Status.NOT_FOUND;
        } else if (e instanceof InvalidRequest) {
            status = Status.INVALID_ARGUMENT;
        } else if (e instanceof Overloaded) {
            status = Status.RESOURCE_EXHAUSTED;
        } else if (e instanceof ModelUnavailable || e instanceof QueueTimeout) {
            status = Status.UNAVAILABLE;
        } else {
            LOG.error("Unexpected failure while answering a gRPC call", e);
            status = Status.INTERNAL;
        }
        return status.withDescription(e.getMessage()).asRuntimeException();
    }
}
