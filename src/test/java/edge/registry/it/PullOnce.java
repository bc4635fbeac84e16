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

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Pulls the {@code stable} model of a registry into a store with the service's own puller, as a separate process
 * that {@link KilledDownloadTest} kills in the middle of the download.
 * <pre>PullOnce REGISTRY_URL STORE PUBLIC_KEY</pre>
 */
public final class PullOnce {

    public static void main(String[] args) throws Exception {
        ModelStore store = new ModelStore(Path.of(args[1]), 3);
        puller(args[0], store, Path.of(args[2])).fetch(resolve(args[0], store, Path.of(args[2])), "stable")
                .model().retire();
    }

    static String resolve(String registry, ModelStore store, Path publicKey) throws Exception {
        return puller(registry, store, publicKey).resolve("stable");
    }

    static ModelPuller puller(String registry, ModelStore store, Path publicKey) throws Exception {
        ModelValidator validator = new ModelValidator(new ModelLoader(1), List.of(),
                new ImageDecoder(new ImageLimits(20_000_000, 40_000_000)), new DetectParams(0.25f, 0.45f, 300, Set.of()));
        return new ModelPuller(new OciReader(RegistryEndpoint.of(registry)), RegistryFixture.REPOSITORY,
                Optional.of(SignatureVerifier.fromPem(publicKey)), store, validator, 1L << 30, Clock.systemUTC());
    }

    private PullOnce() {
    }
}
