package edge.registry.sign;

/**
 * A model's signature was missing or did not hold: the message says which check failed (no signature, does not
 * verify with key X, signs another digest, malformed payload), so the log line alone explains the refusal.
 */
public final class SignatureRejected extends Exception {

    private static final long serialVersionUID = 1L;

    public SignatureRejected(String message) {
        super(message);
    }

    public SignatureRejected(String message, Throwable cause) {
        super(message, cause);
    }
}
