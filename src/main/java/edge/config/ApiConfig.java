package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.List;
import java.util.Optional;

/** Who may call the detection APIs (REST, gRPC, KServe, cameras). */
@ConfigMapping(prefix = "edge.api")
public interface ApiConfig {

    /**
     * Accepted API keys (env {@code EDGE_API_KEYS}, comma-separated), sent as {@code X-API-Key: <key>} or
     * {@code Authorization: Bearer <key>} (gRPC: metadata {@code x-api-key} or {@code authorization}). Several keys
     * allow rotating them without downtime.
     */
    Optional<List<String>> keys();

    /**
     * Serve without keys although the service listens beyond loopback. Without keys and without this, a service
     * bound to a non-loopback address refuses to start.
     */
    @WithDefault("false")
    boolean allowAnonymous();
}
