package edge.registry;

import edge.registry.oci.Descriptor;
import edge.digest.Digest;
import edge.registry.oci.OciWriter;
import edge.registry.oci.RegistryException;
import edge.registry.sign.ModelSigner;
import edge.registry.sign.SignatureLayout;
import edge.registry.sign.SignedPayload;

import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Pushes a model to a registry as a {@link ModelArtifact}. The tag moves last: the manifest is pushed by digest and
 * signed first, so a box never sees the tag on a model whose signature is not there yet.
 */
public final class ModelPublisher {

    /**
     * @param signatureTag the tag of the signature, empty when unsigned
     */
    public record Published(String digest, String repository, String tag, Optional<String> signatureTag) {
    }

    private final OciWriter registry;
    private final String registryHost;
    private final Clock clock;

    /**
     * @param registryHost host[:port] of the registry, the signed payload's docker-reference
     */
    public ModelPublisher(OciWriter registry, String registryHost, Clock clock) {
        this.registry = registry;
        this.registryHost = registryHost;
        this.clock = clock;
    }

    public Published publish(String repository, String tag, Path modelFile, ArtifactConfig config,
                             Optional<ModelSigner> signer) throws RegistryException {
        Descriptor configBlob = registry.pushBlob(repository, config.toJson(), ModelArtifact.CONFIG_MEDIA_TYPE);
        Descriptor pushed = registry.pushBlob(repository, modelFile, ModelArtifact.ONNX_MEDIA_TYPE);
        Descriptor layer = new Descriptor(pushed.mediaType(), pushed.digest(), pushed.size(),
                Map.of(ModelArtifact.TITLE, modelFile.getFileName().toString()));
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put(ModelArtifact.CREATED, clock.instant().toString());
        annotations.put(ModelArtifact.VERSION, config.version());
        byte[] manifest = ModelArtifact.manifest(configBlob, layer, annotations);
        String digest = Digest.of(manifest).toString();
        registry.pushManifest(repository, digest, manifest, ModelArtifact.MANIFEST_MEDIA_TYPE);
        Optional<String> signatureTag = Optional.empty();
        if (signer.isPresent()) {
            signatureTag = Optional.of(pushSignature(repository, digest, signer.get()));
        }
        registry.pushManifest(repository, tag, manifest, ModelArtifact.MANIFEST_MEDIA_TYPE);
        return new Published(digest, repository, tag, signatureTag);
    }

    private String pushSignature(String repository, String digest, ModelSigner signer) throws RegistryException {
        SignedPayload signed = signer.sign(registryHost + "/" + repository, digest);
        Descriptor payload = registry.pushBlob(repository, signed.payload(), SignatureLayout.PAYLOAD_MEDIA_TYPE);
        Descriptor emptyConfig = registry.pushBlob(repository, SignatureManifest.EMPTY_CONFIG,
                SignatureManifest.CONFIG_MEDIA_TYPE);
        byte[] manifest = SignatureManifest.of(emptyConfig, new Descriptor(payload.mediaType(), payload.digest(),
                payload.size(), Map.of(SignatureLayout.SIGNATURE_ANNOTATION, signed.signatureBase64())));
        String tag = SignatureLayout.signatureTag(digest);
        registry.pushManifest(repository, tag, manifest, ModelArtifact.MANIFEST_MEDIA_TYPE);
        return tag;
    }

    /** host[:port] of a registry URL. */
    public static String host(java.net.URI url) {
        return url.getPort() < 0 ? url.getHost() : url.getHost() + ":" + url.getPort();
    }
}
