package edge.model;

/** No model is loaded (yet): requests are answered 503 with this reason. */
public final class ModelUnavailable extends RuntimeException {

    public ModelUnavailable(String message) {
        super(message, null, false, false);
    }
}
