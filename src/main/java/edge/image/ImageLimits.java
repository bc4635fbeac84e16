package edge.image;

/** What one image may cost before any pixel is decoded. */
public record ImageLimits(long maxBytes, long maxPixels) {

    public ImageLimits {
        if (maxBytes <= 0 || maxPixels <= 0) {
            throw new IllegalArgumentException("image limits must be positive: bytes=" + maxBytes + " pixels=" + maxPixels);
        }
    }
}
