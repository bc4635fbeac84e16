package edge.api;

/** A KServe call names a model (or version) this service does not serve: 404 / NOT_FOUND. */
public final class ModelNotFound extends RuntimeException {

    public ModelNotFound(String message) {
        super(message, null, false, false);
    }
}
