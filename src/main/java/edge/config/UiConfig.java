package edge.config;

import io.smallrye.config.ConfigMapping;

import java.nio.file.Path;
import java.util.Optional;

/** The web UI served from {@code META-INF/resources}. */
@ConfigMapping(prefix = "edge.ui")
public interface UiConfig {

    /** Folder whose images the Detect page offers as samples ({@code GET /samples}); unset: no samples. */
    Optional<Path> samples();
}
