package edge.registry.sign;

import edge.digest.Digest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;


/**
 * Where and how a model signature is stored: cosign's tag-based layout (cosign specs/SIGNATURE_SPEC.md).
 *
 * <ul>
 * <li>Tag {@code sha256-<hex>.sig} in the model's repository, naming an OCI image manifest.</li>
 * <li>Its layer is the payload blob, media type {@link #PAYLOAD_MEDIA_TYPE}: the "simple signing" JSON
 * {@code {"critical":{"identity":{"docker-reference":"HOST:PORT/REPO"},"image":{"docker-manifest-digest":"sha256:HEX"},
 * "type":"cosign container image signature"},"optional":null}}.</li>
 * <li>The layer's annotation {@link #SIGNATURE_ANNOTATION}: base64 of the DER ECDSA P-256 / SHA-256 signature over
 * the payload bytes.</li>
 * </ul>
 */
public final class SignatureLayout {

    public static final String PAYLOAD_MEDIA_TYPE = "application/vnd.dev.cosign.simplesigning.v1+json";
    public static final String SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature";
    /** {@code critical.type} of a cosign signature payload. */
    public static final String SIGNATURE_TYPE = "cosign container image signature";
    public static final String TAG_SUFFIX = ".sig";
    /** A payload is about 200 bytes; the verifier refuses anything over this before looking at it. */
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;

    /**
     * Reads strictly (a duplicate key or anything after the object is an error) and writes compactly in insertion
     * order, as Go's encoding/json writes cosign's payload struct.
     */
    static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private SignatureLayout() {
    }

    /** {@code sha256:<hex>} to {@code sha256-<hex>.sig}. */
    public static String signatureTag(String manifestDigest) {
        return requireDigest(manifestDigest).replace(':', '-') + TAG_SUFFIX;
    }

    public static boolean isDigest(String digest) {
        return Digest.isValid(digest);
    }

    /** The digest itself, if it is {@code sha256:} and 64 lower-case hex digits (the OCI form); otherwise an exception. */
    public static String requireDigest(String digest) {
        if (!isDigest(digest)) {
            throw new IllegalArgumentException("not a manifest digest: '" + digest
                    + "' (expected sha256: and 64 lower-case hex digits)");
        }
        return digest;
    }

    /**
     * The simple-signing payload for a manifest, byte for byte what cosign writes for the same reference and digest
     * (cosign leaves {@code optional} null when no annotations are given).
     *
     * @param dockerReference the repository, {@code registry-host:port/repository}, without tag or digest
     */
    public static byte[] payload(String dockerReference, String manifestDigest) {
        requireReference(dockerReference);
        requireDigest(manifestDigest);
        ObjectNode root = JSON.createObjectNode();
        ObjectNode critical = root.putObject("critical");
        critical.putObject("identity").put("docker-reference", dockerReference);
        critical.putObject("image").put("docker-manifest-digest", manifestDigest);
        critical.put("type", SIGNATURE_TYPE);
        root.putNull("optional");
        try {
            return JSON.writeValueAsBytes(root);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a signature payload", e);
        }
    }

    private static void requireReference(String reference) {
        if (reference == null || reference.isEmpty()) {
            throw new IllegalArgumentException("docker reference is empty (expected registry-host:port/repository)");
        }
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                throw new IllegalArgumentException("docker reference '" + reference
                        + "' has a space, control or non-ASCII character");
            }
        }
        int slash = reference.lastIndexOf('/');
        if (slash <= 0 || slash == reference.length() - 1) {
            throw new IllegalArgumentException("docker reference '" + reference
                    + "' is not registry-host:port/repository");
        }
        if (reference.indexOf('@') >= 0 || reference.indexOf(':', slash) >= 0) {
            throw new IllegalArgumentException("docker reference '" + reference
                    + "' carries a tag or digest; cosign signs the repository name alone (the digest is separate)");
        }
    }
}
