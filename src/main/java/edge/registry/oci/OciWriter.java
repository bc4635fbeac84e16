package edge.registry.oci;

import edge.digest.Digest;
import edge.registry.oci.RegistryException.Reason;
import edge.registry.oci.RegistryTransport.Call;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Pushes blobs and manifests to an OCI Distribution API (registry v2): what {@code edge.registry.ModelPublisher}
 * needs, and nothing the edge service itself does. Thread-safe; one instance per registry endpoint (it caches bearer
 * tokens, see {@link RegistryAuth}).
 *
 * <p>Local file errors (the file to push) are thrown as {@link UncheckedIOException}; malformed repository names,
 * references and oversized manifests as {@link IllegalArgumentException}; everything the registry or the network
 * does as {@link RegistryException}.
 */
public final class OciWriter {

    private final RegistryTransport transport;

    /** @throws IllegalArgumentException when the endpoint's CA file cannot be read or holds no certificate */
    public OciWriter(RegistryEndpoint endpoint) {
        this(new RegistryTransport(endpoint));
    }

    /** Shares the transport, and so the token cache, with an {@link OciReader}. */
    OciWriter(RegistryTransport transport) {
        this.transport = transport;
    }

    /** Uploads a blob unless the repository already has it; returns its descriptor (no annotations). */
    public Descriptor pushBlob(String repository, byte[] content, String mediaType) throws RegistryException {
        OciNames.requireRepository(repository);
        Objects.requireNonNull(mediaType, "mediaType");
        Descriptor descriptor = new Descriptor(mediaType, Digest.of(content).toString(), content.length);
        push(repository, descriptor, BodyPublishers.ofByteArray(content));
        return descriptor;
    }

    /**
     * Uploads a file as a blob unless the repository already has it, streamed from disk (it is read twice: once for
     * its digest, once to send it).
     *
     * @throws UncheckedIOException when the file cannot be read
     */
    public Descriptor pushBlob(String repository, Path file, String mediaType) throws RegistryException {
        OciNames.requireRepository(repository);
        Objects.requireNonNull(mediaType, "mediaType");
        BodyPublisher body;
        Descriptor descriptor;
        try {
            long size = Files.size(file);
            descriptor = new Descriptor(mediaType, Digest.of(file).toString(), size);
            body = BodyPublishers.ofFile(file);
        } catch (FileNotFoundException e) {
            throw new UncheckedIOException("no file to push at " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        push(repository, descriptor, body);
        return descriptor;
    }

    /**
     * Stores a manifest under a tag or its digest ({@code PUT /v2/<repo>/manifests/<reference>}).
     *
     * @return the sha256 digest of the bytes, checked against the registry's {@code Docker-Content-Digest}
     */
    public String pushManifest(String repository, String reference, byte[] manifest, String mediaType)
            throws RegistryException {
        OciNames.requireRepository(repository);
        OciNames.requireReference(reference);
        Objects.requireNonNull(mediaType, "mediaType");
        if (manifest.length > OciReader.MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException("manifest of " + manifest.length + " bytes is over the limit of "
                    + OciReader.MAX_MANIFEST_BYTES);
        }
        String digest = Digest.of(manifest).toString();
        if (OciNames.isDigest(reference) && !reference.equals(digest)) {
            throw new IllegalArgumentException("manifest pushed by digest " + reference + " hashes to " + digest);
        }
        Call call = new Call("PUT", transport.api("/v2/" + repository + "/manifests/" + reference),
                "push manifest " + repository + OciNames.separator(reference) + reference, repository, true,
                Map.of("Content-Type", mediaType), BodyPublishers.ofByteArray(manifest), false);
        String stored = storedDigest(call, transport.exchange(call));
        if (stored != null && !stored.equals(digest)) {
            throw transport.fail(Reason.DIGEST_MISMATCH, call, "the registry stored it as " + stored
                    + ", the bytes hash to " + digest);
        }
        return digest;
    }

    /**
     * The blob upload: a HEAD (nothing to do if the registry has it), a POST that opens an upload session, and a
     * monolithic PUT of the content to the session's Location with the digest to check it against.
     */
    private void push(String repository, Descriptor descriptor, BodyPublisher body) throws RegistryException {
        String what = "push blob " + repository + "@" + descriptor.digest();
        if (transport.exists(new Call("HEAD", transport.api("/v2/" + repository + "/blobs/" + descriptor.digest()),
                what, repository, true, Map.of(), null, false))) {
            return;
        }
        Call post = new Call("POST", transport.api("/v2/" + repository + "/blobs/uploads/"), what, repository, true,
                Map.of(), BodyPublishers.noBody(), false);
        HttpResponse<InputStream> response = transport.exchange(post);
        if (response.statusCode() != 202) {
            throw transport.unexpected(post, response);
        }
        Optional<String> location = response.headers().firstValue("Location");
        RegistryTransport.close(response);
        if (location.isEmpty()) {
            throw transport.fail(Reason.PROTOCOL, post, "HTTP 202 without a Location header for the upload");
        }
        URI upload;
        try {
            upload = post.uri().resolve(location.get());
        } catch (IllegalArgumentException e) {
            throw transport.fail(Reason.PROTOCOL, post, "unusable upload Location '" + location.get() + "'");
        }
        String query = "digest=" + URLEncoder.encode(descriptor.digest(), StandardCharsets.UTF_8);
        String raw = upload.toString();
        int hash = raw.indexOf('#');
        if (hash >= 0) {
            raw = raw.substring(0, hash);
        }
        URI put = URI.create(raw + (upload.getRawQuery() == null ? "?" : "&") + query);
        Call putCall = new Call("PUT", put, what, repository, true,
                Map.of("Content-Type", "application/octet-stream"), body, false);
        String stored = storedDigest(putCall, transport.exchange(putCall));
        if (stored != null && !stored.equals(descriptor.digest())) {
            throw transport.fail(Reason.DIGEST_MISMATCH, putCall, "the registry stored it as " + stored);
        }
    }

    /** The Docker-Content-Digest of a 201 Created (null: none sent); any other status is an exception. */
    private String storedDigest(Call call, HttpResponse<InputStream> response) throws RegistryException {
        if (response.statusCode() != 201) {
            throw transport.unexpected(call, response);
        }
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        RegistryTransport.close(response);
        return stored.orElse(null);
    }
}
