package edge.registry;

import edge.model.LoadedModel;
import edge.registry.PullFailure.Reason;
import edge.registry.oci.Descriptor;
import edge.registry.oci.OciReader;
import edge.registry.oci.RegistryException;
import edge.registry.sign.SignatureLayout;
import edge.registry.sign.SignatureRejected;
import edge.registry.sign.SignatureVerifier;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * Takes one artifact from the registry to a validated model in the store, in the order that wastes least on a bad
 * one: manifest, signature, config, then the (large) ONNX layer, streamed and digest-checked, then the model itself.
 * Knows nothing of what serves; {@link ModelRepository} decides that.
 */
public final class ModelPuller {

    private static final Logger LOG = Logger.getLogger(ModelPuller.class);
    private static final long MAX_SIGNATURE_PAYLOAD = 64 * 1024;

    /** A validated model, stored and warmed, ready to serve. */
    public record Candidate(LoadedModel model, ModelStore.StoredModel stored) {
    }

    private final OciReader registry;
    private final String repository;
    private final Optional<SignatureVerifier> verifier;
    private final ModelStore store;
    private final ModelValidator validator;
    private final long maxModelBytes;
    private final Clock clock;

    public ModelPuller(OciReader registry, String repository, Optional<SignatureVerifier> verifier, ModelStore store,
                       ModelValidator validator, long maxModelBytes, Clock clock) {
        this.registry = registry;
        this.repository = repository;
        this.verifier = verifier;
        this.store = store;
        this.validator = validator;
        this.maxModelBytes = maxModelBytes;
        this.clock = clock;
    }

    /** The digest a tag points at now. */
    public String resolve(String tag) throws PullFailure {
        try {
            return registry.resolve(repository, tag);
        } catch (RegistryException e) {
            throw failure(e, "resolving tag " + tag);
        }
    }

    /**
     * @param tag the tag it was found under, for the record
     */
    public Candidate fetch(String digest, String tag) throws PullFailure {
        ModelArtifact artifact;
        ArtifactConfig config;
        try {
            artifact = ModelArtifact.parse(digest, registry.manifest(repository, digest));
            verifySignature(digest);
            config = ArtifactConfig.parse(registry.blob(repository, artifact.config(),
                    ModelArtifact.MAX_CONFIG_BYTES));
        } catch (RegistryException e) {
            throw failure(e, "fetching " + digest);
        } catch (ArtifactRejected e) {
            throw new PullFailure(Reason.NOT_A_MODEL, e.getMessage(), e);
        }
        Descriptor layer = artifact.model();
        if (layer.size() > maxModelBytes) {
            throw new PullFailure(Reason.TOO_LARGE, "the model layer of " + digest + " has " + layer.size()
                    + " bytes, more than edge.registry.max-model-bytes (" + maxModelBytes + ")");
        }
        try (ModelStore.Staging staging = store.stage()) {
            download(layer, staging);
            LoadedModel model = validator.validate(staging.modelFile(), config);
            try {
                ModelStore.StoredModel stored = store.commit(staging, new ModelStore.StoredModel(digest,
                        config.name(), config.version(), repository, tag, layer.digest(), layer.size(),
                        clock.instant(), config));
                return new Candidate(model, stored);
            } catch (IOException | RuntimeException e) {
                model.retire();
                throw new PullFailure(Reason.STORE, "cannot store " + digest + " in " + store.root() + ": "
                        + e.getMessage(), e);
            }
        } catch (IOException e) {
            throw new PullFailure(Reason.STORE, "cannot stage a download in " + store.root() + ": " + e.getMessage(),
                    e);
        }
    }

    private void download(Descriptor layer, ModelStore.Staging staging) throws PullFailure {
        long started = System.nanoTime();
        LOG.infof("Downloading %s (%d bytes) from %s", layer.digest(), layer.size(), repository);
        long step = Math.max(1, layer.size() / 4);
        long[] nextReport = {step};
        try {
            registry.downloadBlob(repository, layer, staging.modelFile(), (bytes, total) -> {
                if (bytes >= nextReport[0] && bytes < total) {
                    LOG.infof("  %s: %d of %d bytes (%d%%)", layer.digest().substring(0, 19), bytes, total,
                            100 * bytes / Math.max(1, total));
                    nextReport[0] += step;
                }
            });
        } catch (RegistryException e) {
            throw failure(e, "downloading " + layer.digest());
        } catch (java.io.UncheckedIOException e) {
            // The disk, not the registry: a full or read-only store. Retried with backoff like any transient failure.
            throw new PullFailure(Reason.STORE, "cannot write the download of " + layer.digest() + " to "
                    + store.root() + ": " + e.getCause().getMessage(), e);
        }
        LOG.infof("Downloaded and verified %s in %d ms", layer.digest(), (System.nanoTime() - started) / 1_000_000);
    }

    /** With a public key configured, one signature stored for the digest must verify and sign exactly it. */
    private void verifySignature(String digest) throws RegistryException, PullFailure {
        if (verifier.isEmpty()) {
            return;
        }
        String tag = SignatureLayout.signatureTag(digest);
        byte[] manifest;
        try {
            manifest = registry.manifest(repository, registry.resolve(repository, tag));
        } catch (RegistryException e) {
            if (e.reason() == RegistryException.Reason.NOT_FOUND) {
                throw new PullFailure(Reason.UNSIGNED, digest + " is not signed (no " + tag + " in " + repository
                        + ") and edge.registry.public-key requires a signature");
            }
            throw e;
        }
        String lastProblem = "the signature manifest " + tag + " holds no " + SignatureLayout.PAYLOAD_MEDIA_TYPE
                + " layer";
        List<Descriptor> layers;
        try {
            layers = SignatureManifest.payloadLayers(manifest);
        } catch (ArtifactRejected e) {
            throw new PullFailure(Reason.BAD_SIGNATURE, e.getMessage(), e);
        }
        for (Descriptor layer : layers) {
            String signature = layer.annotations().getOrDefault(SignatureLayout.SIGNATURE_ANNOTATION, "");
            byte[] payload = registry.blob(repository, layer, MAX_SIGNATURE_PAYLOAD);
            try {
                verifier.get().verify(payload, signature, digest);
                LOG.infof("Signature of %s verified with key %s", digest, verifier.get().keyFingerprint());
                return;
            } catch (SignatureRejected e) {
                lastProblem = e.getMessage();
            }
        }
        throw new PullFailure(Reason.BAD_SIGNATURE, "no valid signature for " + digest + ": " + lastProblem);
    }

    private static PullFailure failure(RegistryException e, String doing) {
        Reason reason = switch (e.reason()) {
            case UNREACHABLE -> Reason.UNREACHABLE;
            case UNAUTHORIZED -> Reason.UNAUTHORIZED;
            case NOT_FOUND -> Reason.NOT_FOUND;
            case DIGEST_MISMATCH -> Reason.DIGEST_MISMATCH;
            case PROTOCOL -> Reason.PROTOCOL;
        };
        return new PullFailure(reason, doing + ": " + e.getMessage(), e);
    }
}
