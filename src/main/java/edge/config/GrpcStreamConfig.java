package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Bounds of the gRPC frame stream ({@code DetectStream}), so an idle or endless client cannot hold it forever. */
@ConfigMapping(prefix = "edge.grpc.stream")
public interface GrpcStreamConfig {

    /** A stream that sends no frame for this long is closed with DEADLINE_EXCEEDED. */
    @WithDefault("60s")
    Duration idleTimeout();

    /** Frames one stream may send; the next one ends it with RESOURCE_EXHAUSTED (the client reconnects). */
    @WithDefault("100000")
    long maxFrames();
}
