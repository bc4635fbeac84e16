package edge.registry;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefusedDigestsTest {

    private static RegistryStatus.PullResult refusal(String digest) {
        return new RegistryStatus.PullResult(Instant.EPOCH, PullOutcome.REFUSED, digest, "canary", "bus 0 < 1");
    }

    @Test
    void remembersUpToItsCapacityForgettingTheOldestFirst() {
        RefusedDigests refused = new RefusedDigests(2);
        refused.remember("a", refusal("a"));
        refused.remember("b", refusal("b"));
        refused.remember("c", refusal("c"));
        assertEquals(Optional.empty(), refused.earlier("a"), "the oldest is forgotten");
        assertEquals("b", refused.earlier("b").orElseThrow().digest());
        assertEquals("c", refused.earlier("c").orElseThrow().digest());
        refused.forget("b");
        assertTrue(refused.earlier("b").isEmpty());
    }

    @Test
    void outcomesAndSourcesKeepTheirWireNames() {
        assertEquals("up-to-date", PullOutcome.UP_TO_DATE.toString());
        assertEquals("still-refused", PullOutcome.STILL_REFUSED.toString());
        assertEquals("updated", PullOutcome.UPDATED.toString());
        assertEquals("registry", ModelSource.REGISTRY.toString());
        assertEquals("path", ModelSource.PATH.toString());
    }
}
