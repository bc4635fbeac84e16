package edge.registry.it;

import edge.detect.DetectParams;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.ModelLoader;
import edge.registry.ModelPuller;
import edge.registry.ModelStore;
import edge.registry.ModelValidator;
import edge.registry.oci.OciReader;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.sign.SignatureVerifier;
import edge.testing.Fixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A box restarting after it lost its uplink: its store holds a model it pulled before (with the same puller the
 * service uses) and the leftovers of a download killed halfway; the registry is gone.
 */
public class RestartingOffline implements QuarkusTestProfile {

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
                String digest = RegistryFixture.publish(fixture.server.url(), Fixtures.model(Fixtures.DYNAMIC),
                        "1-dynamic", Optional.of(fixture.signer));
                Map<String, String> config = fixture.boxConfig(fixture.server.url());
                ModelStore store = new ModelStore(Path.of(config.get("edge.model.store")), 5);
                ModelValidator validator = new ModelValidator(new ModelLoader(1), List.of(),
                        new ImageDecoder(new ImageLimits(20_000_000, 40_000_000)),
                        new DetectParams(0.25f, 0.45f, 300, Set.of()));
                ModelPuller puller = new ModelPuller(new OciReader(RegistryEndpoint.of(fixture.server.url())),
                        RegistryFixture.REPOSITORY, Optional.of(SignatureVerifier.fromPem(fixture.publicKey)), store,
                        validator, 1L << 30, Clock.systemUTC());
                puller.fetch(digest, "stable").model().retire();
                store.setState(new ModelStore.State(digest, null));
                // What a process killed in the middle of the next download leaves behind.
                Path killed = Files.createDirectories(store.root().resolve("tmp").resolve("pull-killed"));
                Files.write(killed.resolve("model.onnx"), new byte[1_000_000]);

                fixture.server.stop();
                config.put("test.registry.first-digest", digest);
                return config;
            } catch (Exception e) {
                throw new IllegalStateException("cannot prepare the offline box: " + e.getMessage(), e);
            }
        }

        @Override
        public void stop() {
            if (fixture != null) {
                fixture.close();
            }
        }
    }
}
