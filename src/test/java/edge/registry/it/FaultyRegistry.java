package edge.registry.it;

import edge.testing.Fixtures;
import edge.testing.StallingProxy;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A box whose registry sits behind a proxy that can stall mid-blob, with its model store on a 16 MB tmpfs (when
 * this process may mount one) so that the disk can be filled.
 */
public class FaultyRegistry implements QuarkusTestProfile {

    static final String CONTROL = "edge.test.faulty-registry.control";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        private RegistryFixture fixture;
        private StallingProxy proxy;
        private Path tmpfs;
        private boolean mounted;

        @Override
        public Map<String, String> start() {
            try {
                fixture = new RegistryFixture();
                proxy = new StallingProxy(fixture.server.url());
                RegistryFixture.publish(fixture.server.url(), Fixtures.model(Fixtures.DYNAMIC), "1-dynamic",
                        Optional.of(fixture.signer));
                tmpfs = Files.createDirectories(fixture.dir.resolve("small-disk"));
                mounted = run("mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", tmpfs.toString());
                Map<String, String> config = fixture.boxConfig(proxy.url());
                config.put("edge.model.store", tmpfs.resolve("store").toString());
                config.put("edge.registry.timeout", "2s");
                config.put("test.registry.direct", fixture.server.url().toString());
                config.put("test.registry.signing-key", Files.writeString(fixture.dir.resolve("signing.pem"),
                        fixture.signerPem).toString());
                config.put("test.tmpfs", tmpfs.toString());
                config.put("test.tmpfs.mounted", Boolean.toString(mounted));
                Map<String, Runnable> control = new HashMap<>();
                control.put("stall", () -> proxy.stallAfter(100_000));
                control.put("flow", () -> proxy.stallAfter(-1));
                System.getProperties().put(CONTROL, control);
                return config;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }

        static boolean run(String... command) {
            try {
                Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                boolean ok = p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
                if (!ok) {
                    System.err.println(String.join(" ", command) + " failed: " + out);
                }
                return ok;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }

        @Override
        public void stop() {
            System.getProperties().remove(CONTROL);
            if (proxy != null) {
                proxy.close();
            }
            if (mounted) {
                run("umount", "-l", tmpfs.toString());
            }
            if (fixture != null) {
                fixture.close();
            }
        }
    }
}
