package edge.registry;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Which stored version a box tries first at start, without the registry. */
class StartupChoiceTest {

    private static ModelStore.StoredModel v(String digest) {
        return new ModelStore.StoredModel(digest, "m", digest, "r", "stable", "sha256:x", 1, Instant.EPOCH, null);
    }

    private static final ModelStore.StoredModel NEW = v("c"), MID = v("b"), OLD = v("a");
    private static final List<ModelStore.StoredModel> STORE = List.of(NEW, MID, OLD);

    @Test
    void pinnedFirstThenTheLastServingThenNewestFirst() {
        assertEquals(List.of(OLD, MID, NEW), StartupChoice.order(STORE, "a", "b"));
        assertEquals(List.of(MID, NEW, OLD), StartupChoice.order(STORE, null, "b"));
        assertEquals(List.of(NEW, MID, OLD), StartupChoice.order(STORE, null, null));
    }

    @Test
    void aPinnedVersionThatIsAlsoCurrentIsTriedOnceAndUnknownDigestsAreIgnored() {
        assertEquals(List.of(MID, NEW, OLD), StartupChoice.order(STORE, "b", "b"));
        assertEquals(List.of(NEW, MID, OLD), StartupChoice.order(STORE, "gone", "also-gone"));
        assertEquals(List.of(), StartupChoice.order(List.of(), "a", "b"));
    }
}
