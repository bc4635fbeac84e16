package edge.detect;

/** A request whose parameters cannot be honoured (answered 400 with this message). */
public final class InvalidRequest extends RuntimeException {

    public InvalidRequest(String message) {
        super(message, null, false, false);
    }
}
