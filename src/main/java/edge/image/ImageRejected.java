package edge.image;

/** An image the service will not process, with the reason a client can act on. */
public final class ImageRejected extends RuntimeException {

    public enum Reason {
        /** No bytes at all. */
        EMPTY,
        /** Bytes that no supported decoder understands, or a header that lies about the pixels. */
        UNDECODABLE,
        /** A real image in a format the service does not decode (GIF, SVG, ...). */
        UNSUPPORTED_FORMAT,
        /** More encoded bytes than {@code edge.image.max-bytes}. */
        TOO_MANY_BYTES,
        /** More pixels than {@code edge.image.max-pixels}, judged from the header. */
        TOO_MANY_PIXELS
    }

    private final Reason reason;

    public ImageRejected(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
