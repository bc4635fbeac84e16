package edge.registry.sign;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.util.Base64;

/**
 * Edge side: accepts a model only if its cosign-layout signature verifies with the configured public key and its
 * payload names exactly the manifest digest being loaded. Thread-safe.
 *
 * <p>The signature is checked over the payload bytes as received, before the payload is parsed; the payload is
 * never re-serialised. {@code critical.identity.docker-reference} is not checked, as cosign does not check it
 * either: the digest pins the content wherever it was pulled from.
 */
public final class SignatureVerifier {

    /** Hex digits of the key fingerprint shown in logs and messages. */
    static final int SHORT_FINGERPRINT = 16;

    private final PublicKey key;
    private final String fingerprint;

    /** @throws IllegalArgumentException if the key is not EC P-256 */
    public SignatureVerifier(PublicKey key) {
        this.key = Keys.requireP256(key, "verification key");
        this.fingerprint = Keys.fingerprint(key).substring(0, SHORT_FINGERPRINT);
    }

    public static SignatureVerifier fromPem(Path publicKeyPem) throws IOException, GeneralSecurityException {
        return new SignatureVerifier(Keys.readPublic(publicKeyPem));
    }

    /**
     * Verifies the signature over the payload with the key, then that the payload is a cosign signature payload
     * that signs exactly {@code expectedDigest}. Returns normally or throws.
     *
     * @throws SignatureRejected with the reason: no signature, not base64, does not verify with the key, malformed
     *         payload, wrong type, or another digest
     * @throws IllegalArgumentException if {@code expectedDigest} is not a {@code sha256:<hex>} digest
     */
    public void verify(byte[] payload, String signatureBase64, String expectedDigest) throws SignatureRejected {
        SignatureLayout.requireDigest(expectedDigest);
        if (signatureBase64 == null || signatureBase64.isBlank()) {
            throw new SignatureRejected("no signature: the signature (annotation " + SignatureLayout.SIGNATURE_ANNOTATION
                    + ") is missing or empty");
        }
        if (payload == null || payload.length == 0) {
            throw new SignatureRejected("no signature payload: the payload is missing or empty");
        }
        if (payload.length > SignatureLayout.MAX_PAYLOAD_BYTES) {
            throw new SignatureRejected("malformed payload: " + payload.length + " bytes, over the "
                    + SignatureLayout.MAX_PAYLOAD_BYTES / 1024 + " KiB limit");
        }
        byte[] der;
        try {
            der = Base64.getDecoder().decode(signatureBase64.strip());
        } catch (IllegalArgumentException e) {
            throw new SignatureRejected("malformed signature: not base64 (" + e.getMessage() + ")");
        }
        if (!signatureHolds(payload, der)) {
            throw new SignatureRejected("signature does not verify with key " + fingerprint
                    + " (signed with another key, or the payload was changed)");
        }
        String signed = signedDigest(payload);
        if (!signed.equals(expectedDigest)) {
            throw new SignatureRejected("signature (by key " + fingerprint + ") signs another digest: "
                    + signed + ", not " + expectedDigest);
        }
    }

    /** The first {@value #SHORT_FINGERPRINT} hex digits of {@link Keys#fingerprint}: SHA-256 of the DER public key. */
    public String keyFingerprint() {
        return fingerprint;
    }

    private boolean signatureHolds(byte[] payload, byte[] der) throws SignatureRejected {
        try {
            Signature signature = Signature.getInstance(ModelSigner.ALGORITHM);
            signature.initVerify(key);
            signature.update(payload);
            return signature.verify(der);
        } catch (SignatureException e) {
            // The JDK says this when the bytes are not a DER SEQUENCE of two INTEGERs in range.
            throw new SignatureRejected("malformed signature: not a DER-encoded ECDSA signature, so it does not "
                    + "verify with key " + fingerprint + " (" + e.getMessage() + ")", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot verify EC P-256 signatures on this JDK", e);
        }
    }

    /** critical.image.docker-manifest-digest of an authenticated payload, after checking its shape and type. */
    private static String signedDigest(byte[] payload) throws SignatureRejected {
        JsonNode root;
        try {
            root = SignatureLayout.JSON.readTree(payload);
        } catch (JacksonException e) {
            throw new SignatureRejected("malformed payload: not a single JSON document (" + e.getOriginalMessage()
                    + ")", e);
        } catch (IOException e) {
            throw new SignatureRejected("malformed payload: " + e.getMessage(), e);
        }
        if (!root.isObject()) {
            throw new SignatureRejected("malformed payload: not a JSON object");
        }
        JsonNode critical = child(root, "critical", "critical");
        JsonNode type = critical.get("type");
        if (type == null || !type.isTextual()) {
            throw new SignatureRejected("malformed payload: critical.type is missing or not a string");
        }
        if (!type.textValue().equals(SignatureLayout.SIGNATURE_TYPE)) {
            throw new SignatureRejected("malformed payload: critical.type is " + quote(type.textValue()) + ", not '"
                    + SignatureLayout.SIGNATURE_TYPE + "'");
        }
        JsonNode identity = critical.get("identity");
        if (identity != null && !(identity.isObject() && textOrAbsent(identity.get("docker-reference")))) {
            throw new SignatureRejected("malformed payload: critical.identity is not an object with a string "
                    + "docker-reference");
        }
        JsonNode digest = child(critical, "image", "critical.image").get("docker-manifest-digest");
        if (digest == null || !digest.isTextual()) {
            throw new SignatureRejected("malformed payload: critical.image.docker-manifest-digest is missing or not a "
                    + "string");
        }
        if (!SignatureLayout.isDigest(digest.textValue())) {
            throw new SignatureRejected("malformed payload: critical.image.docker-manifest-digest "
                    + quote(digest.textValue()) + " is not a sha256 digest");
        }
        return digest.textValue();
    }

    private static JsonNode child(JsonNode parent, String field, String path) throws SignatureRejected {
        JsonNode child = parent.get(field);
        if (child == null || !child.isObject()) {
            throw new SignatureRejected("malformed payload: " + path + " is missing or not an object");
        }
        return child;
    }

    /** Payload text in a message, cut short: a payload may be up to 64 KiB. */
    private static String quote(String text) {
        return text.length() <= 100 ? "'" + text + "'" : "'" + text.substring(0, 100) + "...' (" + text.length()
                + " characters)";
    }

    private static boolean textOrAbsent(JsonNode node) {
        return node == null || node.isTextual();
    }
}
