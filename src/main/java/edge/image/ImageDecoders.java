package edge.image;

import edge.config.ImageConfig;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one {@link ImageDecoder} of the service, with the configured limits (requests, cameras, canary images). */
public class ImageDecoders {

    @Produces
    @Singleton
    ImageDecoder decoder(ImageConfig config) {
        return new ImageDecoder(new ImageLimits(config.maxBytes().asLongValue(), config.maxPixels()));
    }
}
