package edge.registry;

import java.util.Locale;

/**
 * Why a pull did not end with a new model serving. The reason is the metric tag and what {@code GET /models}
 * shows; the message is for the operator.
 */
public final class PullFailure extends Exception {

    public enum Reason {
        // The registry could not be asked: retried with backoff.
        UNREACHABLE(false), UNAUTHORIZED(false), NOT_FOUND(false), PROTOCOL(false), DIGEST_MISMATCH(false),
        STORE(false),
        // The artifact itself is refused: not tried again until the tag moves or an operator forces a pull.
        NOT_A_MODEL(true), UNSIGNED(true), BAD_SIGNATURE(true), TOO_LARGE(true), NOT_ONNX(true), NOT_YOLO(true),
        CONFIG_MISMATCH(true), CANARY(true);

        /** Whether the same digest would fail the same way again. */
        public final boolean refusal;

        Reason(boolean refusal) {
            this.refusal = refusal;
        }

        /** The metric tag value: {@code bad_signature}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public PullFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    public PullFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
