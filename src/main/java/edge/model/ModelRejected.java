package edge.model;

/** A file that cannot be served as a YOLO detection model, with what was found. */
public final class ModelRejected extends Exception {

    public ModelRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
