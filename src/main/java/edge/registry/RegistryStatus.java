package edge.registry;

import java.time.Instant;
import java.util.List;

/** What the registry side of a box reports: the admin API's answers and readiness data. */
public final class RegistryStatus {

    private RegistryStatus() {
    }

    /** What the admin API shows. */
    public record Status(Serving serving, Following following, List<Version> versions, PullResult lastPull,
                         Instant nextPullAt) {
    }

    /**
     * @param digest manifest digest; null when the model came from edge.model.path
     * @param source {@code registry}, {@code store} or {@code path}
     */
    public record Serving(String name, String version, String sha256, String digest, ModelSource source) {
    }

    /**
     * The effective registry settings, after site profile, environment and system properties: what an operator
     * checks to know which channel a box follows. {@code publicKey} is a path, never key material.
     */
    public record Following(String registry, String repository, String tag, String servedName, String pinned,
                            String pollInterval, String pollJitter, String store, int keep, String publicKey,
                            boolean signaturesRequired, boolean credentials) {
    }

    public record Version(String digest, String name, String version, String tag, Instant pulledAt, long modelBytes,
                          boolean serving, boolean pinned) {
    }

    /**
     * @param outcome {@code updated}, {@code up-to-date}, {@code pinned}, {@code refused} (the artifact is bad:
     *                not tried again until the tag moves), {@code still-refused}, {@code failed} (the registry could
     *                not be asked: retried with backoff)
     * @param reason  the failure reason (metric tag), null on success
     */
    public record PullResult(Instant at, PullOutcome outcome, String digest, String reason, String message) {
        public boolean failed() {
            return reason != null;
        }
    }

}
