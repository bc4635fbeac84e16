package edge.registry.it;

import edge.registry.ModelPuller;
import edge.registry.ModelStore;
import edge.testing.Fixtures;
import edge.testing.StallingProxy;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A process killed (SIGKILL) in the middle of a model download, and restarted: the store it leaves is usable and
 * the next pull completes. The download runs in a child JVM through a proxy slowed to 256 KB/s, so that it is
 * surely in the middle when it is killed.
 */
class KilledDownloadTest {

    @Test
    void aDownloadKilledHalfwayLeavesAUsableStore() throws Exception {
        try (RegistryFixture fixture = new RegistryFixture();
             StallingProxy proxy = new StallingProxy(fixture.server.url())) {
            String digest = RegistryFixture.publish(fixture.server.url(), Fixtures.model(Fixtures.DYNAMIC), "1",
                    Optional.of(fixture.signer));
            proxy.limitRate(256 * 1024);
            Path store = fixture.dir.resolve("store");
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), PullOnce.class.getName(), proxy.url().toString(),
                    store.toString(), fixture.publicKey.toString())
                    .redirectErrorStream(true).redirectOutput(fixture.dir.resolve("child.log").toFile()).start();
            long partial = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (partial < 500_000 && System.nanoTime() < deadline && child.isAlive()) {
                Thread.sleep(100);
                partial = partialBytes(store.resolve("tmp"));
            }
            assertTrue(partial >= 500_000, "the child is downloading: " + Files.readString(fixture.dir.resolve("child.log")));
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            long left = partialBytes(store.resolve("tmp"));
            assertTrue(left > 0 && left < Files.size(Fixtures.model(Fixtures.DYNAMIC)),
                    "killed in the middle: " + left + " bytes on disk");

            // Restart: the store opens, drops the leftovers, knows no version, and the next pull completes.
            ModelStore reopened = new ModelStore(store, 3);
            assertEquals(0, partialBytes(store.resolve("tmp")));
            assertEquals(List.of(), reopened.versions());
            proxy.limitRate(-1);
            ModelPuller.Candidate candidate = PullOnce.puller(proxy.url().toString(), reopened, fixture.publicKey)
                    .fetch(digest, "stable");
            candidate.model().retire();
            assertEquals(digest, reopened.versions().get(0).digest());
            assertEquals(ModelStore.sha256(Fixtures.model(Fixtures.DYNAMIC)),
                    ModelStore.sha256(reopened.verifiedFile(reopened.versions().get(0))));
        }
    }

    private static long partialBytes(Path tmp) throws Exception {
        if (!Files.isDirectory(tmp)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
