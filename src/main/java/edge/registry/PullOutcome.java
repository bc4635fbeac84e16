package edge.registry;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What one check of the followed tag ended in; the wire and metric form is {@code up-to-date}, {@code still-refused}... */
public enum PullOutcome {
    /** A new version was pulled, validated and swapped in. */
    UPDATED,
    /** The tag still points at the serving model. */
    UP_TO_DATE,
    /** An operator pinned a version: the tag is not followed. */
    PINNED,
    /** The artifact was refused (signature, validation, canary): not tried again until the tag moves or a forced pull. */
    REFUSED,
    /** The tag points at a digest refused before. */
    STILL_REFUSED,
    /** The registry could not be asked: retried with backoff. */
    FAILED;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
