package edge.digest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A sha256 content digest as the OCI distribution spec writes it: {@code sha256:} and 64 lower-case hex digits, the
 * only algorithm this service reads or writes. The one place that knows the grammar and computes SHA-256 of bytes
 * and files. Immutable; equal when the hex digits are; {@link #toString()} is the digest text.
 */
public final class Digest {

    /** The grammar, as a regular expression (a compile-time constant: usable in annotations). */
    public static final String REGEX = "sha256:[a-f0-9]{64}";

    private static final String PREFIX = "sha256:";
    private static final Pattern SHA256 = Pattern.compile(REGEX);
    /** Any algorithm in the spec's digest grammar: to tell "unsupported" apart from "malformed". */
    private static final Pattern ANY_DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+");
    private static final HexFormat HEX = HexFormat.of();

    private final String hex;

    private Digest(String hex) {
        this.hex = hex;
    }

    /** Whether the text is {@code sha256:} and 64 lower-case hex digits. */
    public static boolean isValid(String text) {
        return text != null && SHA256.matcher(text).matches();
    }

    /** @throws IllegalArgumentException unless the text is {@code sha256:} and 64 lower-case hex digits */
    public static Digest parse(String text) {
        if (isValid(text)) {
            return new Digest(text.substring(PREFIX.length()));
        }
        if (text != null && ANY_DIGEST.matcher(text).matches() && !text.startsWith(PREFIX)) {
            throw new IllegalArgumentException("unsupported digest '" + text + "': only sha256 digests are "
                    + "supported");
        }
        throw new IllegalArgumentException("invalid digest '" + text + "': expected sha256: and 64 lower-case "
                + "hex digits");
    }

    /** The digest of the bytes. */
    public static Digest of(byte[] bytes) {
        return fromHash(newSha256().digest(bytes));
    }

    /** The digest of a file's content, read as a stream. */
    public static Digest of(Path file) throws IOException {
        MessageDigest sha256 = newSha256();
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha256.update(buffer, 0, n);
            }
        }
        return fromHash(sha256.digest());
    }

    /** A fresh SHA-256 hasher, for content that arrives in pieces; finish with {@link #of(MessageDigest)}. */
    public static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The digest of everything a {@link #newSha256()} hasher was fed (which it resets). */
    public static Digest of(MessageDigest sha256) {
        return fromHash(sha256.digest());
    }

    private static Digest fromHash(byte[] hash) {
        return new Digest(HEX.formatHex(hash));
    }

    /** The 64 lower-case hex digits, without {@code sha256:}. */
    public String hex() {
        return hex;
    }

    /** {@code sha256:<hex>}. */
    @Override
    public String toString() {
        return PREFIX + hex;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Digest that && hex.equals(that.hex);
    }

    @Override
    public int hashCode() {
        return hex.hashCode();
    }
}
