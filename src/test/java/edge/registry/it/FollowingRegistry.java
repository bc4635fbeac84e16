package edge.registry.it;

import edge.testing.Fixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A box that starts with an empty store and follows {@code stable} on a real registry, where the dynamic model
 * is published (signed) before the box starts.
 */
public class FollowingRegistry implements QuarkusTestProfile {

    /**
     * The test reaches the registry process through JDK types only ({@code Map<String, Runnable>}), because the
     * test resource and the test class do not share a class loader.
     */
    static final String CONTROL = "edge.test.registry.control";

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(Resource.class));
    }

    public static class Resource implements QuarkusTestResourceLifecycleManager {
        private RegistryFixture fixture;

        @Override
        public Map<String, String> start() {
            try {
                fixture = new RegistryFixture();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            String digest = RegistryFixture.publish(fixture.server.url(), Fixtures.model(Fixtures.DYNAMIC),
                    "1-dynamic", Optional.of(fixture.signer));
            Map<String, Runnable> control = new HashMap<>();
            control.put("stop", fixture.server::stop);
            control.put("start", fixture.server::start);
            System.getProperties().put(CONTROL, control);
            Map<String, String> config = fixture.boxConfig(fixture.server.url());
            config.put("test.registry.first-digest", digest);
            config.put("test.registry.dir", fixture.dir.toString());
            config.put("test.registry.storage", fixture.server.storageRoot().toString());
            // The tests publish with the same keys the resource made.
            config.put("test.registry.signing-key", write("signing.pem", fixture.signerPem));
            config.put("test.registry.wrong-key", write("wrong.pem", fixture.wrongSignerPem));
            return config;
        }

        private String write(String name, String pem) {
            try {
                return java.nio.file.Files.writeString(fixture.dir.resolve(name), pem).toString();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public void stop() {
            System.getProperties().remove(CONTROL);
            if (fixture != null) {
                fixture.close();
            }
        }
    }
}
