package edge.registry.it;

import edge.testing.Fixtures;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A box following {@code stable} on a real registry (the dynamic model published, signed, before it starts) with the
 * poll timer running every second, so that a refused digest is seen again and again, and a model size limit between
 * the dynamic model (3 504 119 bytes, served) and the QDQ one (3 536 373 bytes, too large).
 */
public class RefusingRegistry implements QuarkusTestProfile {

    static final long MAX_MODEL_BYTES = 3_520_000;

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
                RegistryFixture.publish(fixture.server.url(), Fixtures.model(Fixtures.DYNAMIC), "1-dynamic",
                        Optional.of(fixture.signer));
                Map<String, String> config = fixture.boxConfig(fixture.server.url());
                config.put("edge.registry.poll-interval", "1s");
                config.put("edge.registry.max-model-bytes", Long.toString(MAX_MODEL_BYTES));
                config.put("test.registry.dir", fixture.dir.toString());
                config.put("test.registry.log", fixture.server.logFile().toString());
                config.put("test.registry.signing-key",
                        Files.writeString(fixture.dir.resolve("signing.pem"), fixture.signerPem).toString());
                return config;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
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
