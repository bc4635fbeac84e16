package edge.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/** The admin API ({@code /models}). */
@ConfigMapping(prefix = "edge.admin")
public interface AdminConfig {

    /**
     * The admin API key (env {@code EDGE_ADMIN_KEY}): admin requests need {@code Authorization: Bearer <key>}; unset:
     * the admin API answers 401 to every request.
     */
    Optional<String> key();
}
