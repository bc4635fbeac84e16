package edge.config;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits applied to every image before it is decoded. */
@ConfigMapping(prefix = "edge.image")
public interface ImageConfig {

    /** Largest accepted encoded image (request body or multipart file). */
    @WithDefault("20M")
    MemorySize maxBytes();

    /** Largest accepted width x height, read from the image header before any pixel is decoded. */
    @WithDefault("40000000")
    long maxPixels();

    /** JPEG quality of {@code /annotate} answers. */
    @WithDefault("90")
    int annotateJpegQuality();
}
