package edge.registry.oci;

import edge.digest.Digest;
import java.util.regex.Pattern;

/**
 * The OCI distribution spec's grammar for what goes into a registry path: repository names, tags, and references
 * (a tag or a {@link Digest}). Checked before anything is sent, so that a malformed name is an
 * {@link IllegalArgumentException} rather than a confusing answer from the registry.
 */
public final class OciNames {

    // Path components of lower-case alphanumerics joined by separators.
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final int MAX_REPOSITORY_LENGTH = 255;

    private OciNames() {
    }

    /** @throws IllegalArgumentException unless the name follows the OCI distribution spec's repository grammar */
    public static String requireRepository(String repository) {
        if (repository == null || repository.length() > MAX_REPOSITORY_LENGTH
                || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("invalid repository name '" + repository + "': path components of "
                    + "lower-case letters and digits, separated by '.', '_', '__' or '-', joined by '/', at most "
                    + MAX_REPOSITORY_LENGTH + " characters");
        }
        return repository;
    }

    /** @throws IllegalArgumentException unless it is a tag or a sha256 digest */
    public static String requireReference(String reference) {
        if (reference != null && reference.contains(":")) {
            return requireDigest(reference);
        }
        if (reference == null || !TAG.matcher(reference).matches()) {
            throw new IllegalArgumentException("invalid tag '" + reference + "': up to 128 letters, digits, '_', "
                    + "'.' and '-', not starting with '.' or '-'");
        }
        return reference;
    }

    /** @throws IllegalArgumentException unless it is {@code sha256:} and 64 lower-case hex digits */
    public static String requireDigest(String digest) {
        Digest.parse(digest);
        return digest;
    }

    /** Whether a (valid) reference is a digest rather than a tag. */
    static boolean isDigest(String reference) {
        return reference.contains(":");
    }

    /** "repo:tag" or "repo@digest": the separator for messages. */
    static String separator(String reference) {
        return isDigest(reference) ? "@" : ":";
    }
}
