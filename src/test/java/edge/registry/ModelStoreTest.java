package edge.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelStoreTest {

    @TempDir
    Path root;

    private static String digest(int n) {
        return "sha256:" + String.format("%064x", n);
    }

    private static ModelStore.StoredModel version(int n, Path file) throws IOException {
        return new ModelStore.StoredModel(digest(n), "m", "v" + n, "repo", "stable", ModelStore.sha256(file),
                Files.size(file), Instant.parse("2026-11-28T00:00:00Z").plusSeconds(n),
                new ArtifactConfig("m", "v" + n, List.of(), List.of(), Map.of()));
    }

    private static ModelStore.StoredModel add(ModelStore store, int n) throws IOException {
        try (ModelStore.Staging staging = store.stage()) {
            Files.writeString(staging.modelFile(), "model " + n);
            return store.commit(staging, version(n, staging.modelFile()));
        }
    }

    @Test
    void aCommittedVersionSurvivesReopeningWithItsState() throws IOException {
        ModelStore store = new ModelStore(root, 3);
        ModelStore.StoredModel one = add(store, 1);
        store.setState(new ModelStore.State(one.digest(), null));

        ModelStore reopened = new ModelStore(root, 3);
        assertEquals(one.digest(), reopened.state().current());
        assertEquals(List.of(one), reopened.versions());
        assertEquals("model 1", Files.readString(reopened.verifiedFile(one)));
    }

    @Test
    void aDownloadKilledHalfwayLeavesNothingBehindAfterTheNextStart() throws IOException {
        ModelStore store = new ModelStore(root, 3);
        ModelStore.StoredModel one = add(store, 1);
        store.setState(new ModelStore.State(one.digest(), null));
        // What a process killed mid-download leaves: a staging folder with part of a file, never committed.
        ModelStore.Staging staging = store.stage();
        Files.write(staging.modelFile(), new byte[1234]);

        ModelStore reopened = new ModelStore(root, 3);
        try (Stream<Path> tmp = Files.list(root.resolve("tmp"))) {
            assertEquals(0, tmp.count(), "leftovers of the killed download are removed on open");
        }
        assertEquals(List.of(one), reopened.versions());
        assertEquals(one.digest(), reopened.state().current());
    }

    @Test
    void aStagingClosedWithoutCommitIsDeleted() throws IOException {
        ModelStore store = new ModelStore(root, 3);
        Path file;
        try (ModelStore.Staging staging = store.stage()) {
            file = staging.modelFile();
            Files.writeString(file, "refused model");
        }
        assertFalse(Files.exists(file));
        assertTrue(store.versions().isEmpty());
    }

    @Test
    void pruneKeepsTheNewestAndNeverTheServingOrPinnedOne() throws IOException {
        ModelStore store = new ModelStore(root, 2);
        ModelStore.StoredModel one = add(store, 1);
        ModelStore.StoredModel two = add(store, 2);
        add(store, 3);
        add(store, 4);
        add(store, 5);
        store.setState(new ModelStore.State(two.digest(), one.digest()));

        List<String> deleted = store.prune();

        assertEquals(List.of(digest(3)), deleted, "keep=2 keeps 5 and 4, (serving) 2 and (pinned) 1");
        assertEquals(List.of(digest(5), digest(4), digest(2), digest(1)),
                store.versions().stream().map(ModelStore.StoredModel::digest).toList());
    }

    @Test
    void aDamagedFileIsNotServed() throws IOException {
        ModelStore store = new ModelStore(root, 3);
        ModelStore.StoredModel one = add(store, 1);
        Files.writeString(root.resolve("versions").resolve(one.digest().substring(7)).resolve("model.onnx"),
                "bit rot");
        IOException e = assertThrows(IOException.class, () -> store.verifiedFile(one));
        assertTrue(e.getMessage().contains("damaged"), e.getMessage());
        store.remove(one.digest());
        assertTrue(store.versions().isEmpty(), "a damaged copy can be removed and downloaded again");
    }

    @Test
    void anUnreadableStateFallsBackToNoState() throws IOException {
        new ModelStore(root, 3);
        Files.writeString(root.resolve("state.json"), "{not json");
        assertEquals(new ModelStore.State(null, null), new ModelStore(root, 3).state());
    }
}
