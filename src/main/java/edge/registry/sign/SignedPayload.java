package edge.registry.sign;

import edge.digest.Digest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * What a publisher pushes under the signature tag: {@code payload} is the blob (the layer with media type
 * {@link SignatureLayout#PAYLOAD_MEDIA_TYPE}), {@code signatureBase64} the value of the layer's
 * {@link SignatureLayout#SIGNATURE_ANNOTATION} annotation. The payload bytes are what was signed: push them as they
 * are, never re-serialised.
 */
public record SignedPayload(byte[] payload, String signatureBase64) {

    public SignedPayload {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(signatureBase64, "signatureBase64");
        payload = payload.clone();
    }

    /** A copy: the signed bytes cannot be changed through this object. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    /** {@code sha256:<hex>} of the payload: the digest of its blob, for the layer descriptor. */
    public String payloadDigest() {
        return Digest.of(payload).toString();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SignedPayload that && Arrays.equals(payload, that.payload)
                && signatureBase64.equals(that.signatureBase64);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(payload) + signatureBase64.hashCode();
    }

    @Override
    public String toString() {
        return "SignedPayload[payload=" + new String(payload, StandardCharsets.UTF_8) + ", signatureBase64="
                + signatureBase64 + "]";
    }
}
