package edge.api.grpc;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * A unary call whose message cannot be parsed reaches the service with no request at all, and gRPC answers
 * INTERNAL "Half-closed without a request", as if the server were broken. It is the client's message that is:
 * answer INVALID_ARGUMENT naming the method that could not read its request.
 */
@GlobalInterceptor
@ApplicationScoped
public class MalformedRequestInterceptor implements ServerInterceptor {

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        ServerCall.Listener<Q> listener = next.startCall(call, headers);
        if (call.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
            return listener;
        }
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(listener) {
            private boolean received;

            @Override
            public void onMessage(Q message) {
                received = true;
                super.onMessage(message);
            }

            @Override
            public void onHalfClose() {
                if (received) {
                    super.onHalfClose();
                    return;
                }
                try {
                    call.close(Status.INVALID_ARGUMENT.withDescription("the request is not a valid message of the "
                            + "type " + call.getMethodDescriptor().getFullMethodName() + " takes (check the client's "
                            + ".proto)"), new Metadata());
                } catch (IllegalStateException alreadyClosed) {
                    // gRPC answered already.
                }
            }
        };
    }
}
