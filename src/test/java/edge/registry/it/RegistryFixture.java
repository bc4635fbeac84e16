package edge.registry.it;

import edge.registry.ArtifactConfig;
import edge.registry.ModelPublisher;
import edge.registry.oci.OciWriter;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.oci.RegistryException;
import edge.registry.sign.Keys;
import edge.registry.sign.ModelSigner;
import edge.testing.Fixtures;
import edge.testing.RegistryServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A real registry (Debian's docker-registry) with a signing key pair and a wrong key, and the publisher the central
 * team uses, for the registry tests. Everything lives in one temp folder.
 */
final class RegistryFixture implements AutoCloseable {

    static final String REPOSITORY = "vision/yolov8n";
    static final String ADMIN_KEY = "test-admin-key";

    final Path dir;
    final RegistryServer server;
    final ModelSigner signer;
    final String signerPem;
    final ModelSigner wrongSigner;
    final String wrongSignerPem;
    final Path publicKey;

    RegistryFixture() throws IOException {
        dir = Files.createTempDirectory("edge-registry-it");
        server = RegistryServer.builder().start();
        KeyPair keys = Keys.generate();
        publicKey = Files.writeString(dir.resolve("signing.pub.pem"), Keys.toPem(keys.getPublic()));
        signer = new ModelSigner(keys.getPrivate());
        signerPem = Keys.toPem(keys.getPrivate());
        KeyPair wrong = Keys.generate();
        wrongSigner = new ModelSigner(wrong.getPrivate());
        wrongSignerPem = Keys.toPem(wrong.getPrivate());
    }

    /** Config of a box following {@code stable} with the bus canary, its store in this fixture's folder. */
    Map<String, String> boxConfig(URI registry) {
        Map<String, String> config = new HashMap<>();
        config.put("edge.model.path", "");
        config.put("edge.model.store", dir.resolve("store").toString());
        config.put("edge.model.keep", "5");
        config.put("edge.registry.url", registry.toString());
        config.put("edge.registry.repository", REPOSITORY);
        config.put("edge.registry.tag", "stable");
        // The tests ask for pulls through the admin API; the timer would only add noise.
        config.put("edge.registry.poll-interval", "1h");
        config.put("edge.registry.poll-jitter", "0s");
        config.put("edge.registry.retry-min", "1s");
        config.put("edge.registry.public-key", publicKey.toString());
        config.put("edge.registry.canary.bus.image", Fixtures.image("bus.jpg").toAbsolutePath().toString());
        config.put("edge.registry.canary.bus.expect", "person>=3,bus>=1");
        config.put("edge.admin.key", ADMIN_KEY);
        return config;
    }

    static String publish(URI registry, Path model, String version, Optional<ModelSigner> signer) {
        return publish(registry, model, "yolov8n", version, signer);
    }

    /** @param name the artifact's own name (publish --name; by default the file's) */
    static String publish(URI registry, Path model, String name, String version, Optional<ModelSigner> signer) {
        OciWriter client = new OciWriter(RegistryEndpoint.of(registry));
        ArtifactConfig config = new ArtifactConfig(name, version, List.of(), List.of(), Map.of());
        try {
            return new ModelPublisher(client, ModelPublisher.host(registry), Clock.systemUTC())
                    .publish(REPOSITORY, "stable", model, config, signer).digest();
        } catch (RegistryException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
