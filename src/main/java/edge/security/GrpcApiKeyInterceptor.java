package edge.security;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import io.quarkus.grpc.GlobalInterceptor;
import jakarta.enterprise.context.ApplicationScoped;

/** The same API keys for gRPC: metadata {@code x-api-key} or {@code authorization: Bearer <key>}. */
@GlobalInterceptor
@ApplicationScoped
public class GrpcApiKeyInterceptor implements ServerInterceptor {

    private static final Metadata.Key<String> API_KEY = Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER);
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    private final ApiKeys keys;

    public GrpcApiKeyInterceptor(ApiKeys keys) {
        this.keys = keys;
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers,
                                                       ServerCallHandler<Q, A> next) {
        String service = call.getMethodDescriptor().getServiceName();
        // Kubernetes' gRPC probes and health checkers carry no key.
        if (!keys.required() || "grpc.health.v1.Health".equals(service)
                || keys.accepts(headers.get(API_KEY), headers.get(AUTHORIZATION))) {
            return next.startCall(call, headers);
        }
        call.close(Status.UNAUTHENTICATED.withDescription("an API key is required: metadata x-api-key: <key> or "
                + "authorization: Bearer <key> (edge.api.keys)"), new Metadata());
        return new ServerCall.Listener<>() {
        };
    }
}
