package edge.registry.oci;

import java.nio.file.Path;

/**
 * An {@link OciReader} and an {@link OciWriter} over one connection pool and one token cache: for code that pushes
 * and reads back the same registry in one go, which is what the client's round-trip tests (OciClientTest) do.
 * Kept as a thin facade only for them: one object instead of a reader and a writer that must be built over the same
 * transport to share what the registry's authentication taught (the Bearer realm, cached tokens), which the tests'
 * token counts depend on. The service's own callers need one direction each and use the reader
 * ({@code ModelPuller}) or the writer ({@code ModelPublisher}) directly. Every method is the reader's or the
 * writer's, with its documentation.
 */
public final class OciClient {

    private final OciReader reader;
    private final OciWriter writer;

    /** @throws IllegalArgumentException when the endpoint's CA file cannot be read or holds no certificate */
    public OciClient(RegistryEndpoint endpoint) {
        RegistryTransport transport = new RegistryTransport(endpoint);
        this.reader = new OciReader(transport);
        this.writer = new OciWriter(transport);
    }

    public RegistryEndpoint endpoint() {
        return reader.endpoint();
    }

    /** {@link OciReader#ping()}. */
    public void ping() throws RegistryException {
        reader.ping();
    }

    /** {@link OciReader#resolve(String, String)}. */
    public String resolve(String repository, String reference) throws RegistryException {
        return reader.resolve(repository, reference);
    }

    /** {@link OciReader#manifest(String, String)}. */
    public byte[] manifest(String repository, String digest) throws RegistryException {
        return reader.manifest(repository, digest);
    }

    /** {@link OciReader#blobExists(String, String)}. */
    public boolean blobExists(String repository, String digest) throws RegistryException {
        return reader.blobExists(repository, digest);
    }

    /** {@link OciReader#blob(String, Descriptor, long)}. */
    public byte[] blob(String repository, Descriptor descriptor, long maxBytes) throws RegistryException {
        return reader.blob(repository, descriptor, maxBytes);
    }

    /** {@link OciReader#downloadBlob(String, Descriptor, Path, OciReader.Progress)}. */
    public void downloadBlob(String repository, Descriptor descriptor, Path target, OciReader.Progress progress)
            throws RegistryException {
        reader.downloadBlob(repository, descriptor, target, progress);
    }

    /** {@link OciWriter#pushBlob(String, byte[], String)}. */
    public Descriptor pushBlob(String repository, byte[] content, String mediaType) throws RegistryException {
        return writer.pushBlob(repository, content, mediaType);
    }

    /** {@link OciWriter#pushBlob(String, Path, String)}. */
    public Descriptor pushBlob(String repository, Path file, String mediaType) throws RegistryException {
        return writer.pushBlob(repository, file, mediaType);
    }

    /** {@link OciWriter#pushManifest(String, String, byte[], String)}. */
    public String pushManifest(String repository, String reference, byte[] manifest, String mediaType)
            throws RegistryException {
        return writer.pushManifest(repository, reference, manifest, mediaType);
    }
}
