package edge.registry.oci;

/**
 * A registry request that did not give what was asked. The message says what was asked of which registry and
 * repository and what came back: the HTTP status and the registry's own error codes and messages, or the network
 * or TLS failure.
 */
public final class RegistryException extends Exception {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** No answer: connection refused, unknown host, timeout, TLS handshake failure. */
        UNREACHABLE,
        /** 401 or 403 after authentication was tried (or could not be tried: no credentials). */
        UNAUTHORIZED,
        /** 404: no such repository, tag, manifest or blob. */
        NOT_FOUND,
        /** The content's sha256 or size is not what its digest or descriptor says. */
        DIGEST_MISMATCH,
        /** Any other unexpected answer: status, missing header, oversized or malformed body. */
        PROTOCOL
    }

    private final Reason reason;

    public RegistryException(Reason reason, String message) {
        this(reason, message, null);
    }

    public RegistryException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = java.util.Objects.requireNonNull(reason, "reason");
    }

    public Reason reason() {
        return reason;
    }

    @Override
    public String toString() {
        return "RegistryException[" + reason + "]: " + getMessage();
    }
}
