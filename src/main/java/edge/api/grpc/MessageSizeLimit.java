package edge.api.grpc;

import edge.config.ImageConfig;
import io.quarkus.arc.Unremovable;
import io.quarkus.grpc.api.ServerBuilderCustomizer;
import io.quarkus.grpc.runtime.config.GrpcServerConfiguration;
import io.vertx.grpc.server.GrpcServerOptions;
import io.grpc.ServerBuilder;
import jakarta.enterprise.context.Dependent;

/**
 * The largest inbound gRPC message follows {@code edge.image.max-bytes} (plus room for the other fields), so one
 * setting bounds images on every API. A larger message is refused by gRPC itself with RESOURCE_EXHAUSTED.
 */
// Looked up programmatically by the gRPC server as ServerBuilderCustomizer<?>, never injected: a raw type would not
// match that lookup, hence the type variable (and @Dependent, which a generic bean class requires).
@Dependent
@Unremovable
public class MessageSizeLimit<T extends ServerBuilder<T>> implements ServerBuilderCustomizer<T> {

    /** Room for the request's other fields (parameters, names) next to the image bytes. */
    static final int ENVELOPE_BYTES = 64 * 1024;

    private final int maxMessageBytes;

    public MessageSizeLimit(ImageConfig config) {
        this.maxMessageBytes = (int) Math.min(Integer.MAX_VALUE - ENVELOPE_BYTES, config.maxBytes().asLongValue())
                + ENVELOPE_BYTES;
    }

    @Override
    public void customize(GrpcServerConfiguration config, GrpcServerOptions options) {
        options.setMaxMessageSize(maxMessageBytes);
    }
}
