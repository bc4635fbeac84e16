package edge.model;

/** A file that cannot be served as a YOLO detection model, with what was found. */
public final class ModelRejected extends Exception {

    /** How far the file got: unreadable, not ONNX at all, or ONNX without the YOLO layout. */
    public enum Kind { UNREADABLE, NOT_ONNX, NOT_YOLO }

    private final Kind kind;

    public ModelRejected(String message, Throwable cause) {
        this(Kind.NOT_YOLO, message, cause);
    }

    public ModelRejected(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
