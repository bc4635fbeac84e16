package edge.registry.oci;

import edge.digest.Digest;
import edge.registry.oci.RegistryException.Reason;
import edge.registry.oci.RegistryTransport.Call;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads from an OCI Distribution API (registry v2): resolves tags, fetches manifests and blobs with their size and
 * digest verified, and downloads large blobs to a file. Plain Java on the JDK's HttpClient; thread-safe; one
 * instance per registry endpoint (it caches bearer tokens, see {@link RegistryAuth}).
 *
 * <p>Local file errors (the download target) are thrown as {@link UncheckedIOException}; malformed repository names,
 * references and digests as {@link IllegalArgumentException}; everything the registry or the network does as
 * {@link RegistryException}.
 */
public final class OciReader {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The largest manifest fetched or pushed. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private static final Map<String, String> MANIFEST_ACCEPT =
            Map.of("Accept", String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST));
    private static final long PROGRESS_STEP = 1024 * 1024;

    /** Called while a blob downloads: at most about every MiB, and once at the end with bytes == total. */
    @FunctionalInterface
    public interface Progress {
        void update(long bytes, long total);

        Progress NONE = (bytes, total) -> {
        };
    }

    private final RegistryTransport transport;

    /** @throws IllegalArgumentException when the endpoint's CA file cannot be read or holds no certificate */
    public OciReader(RegistryEndpoint endpoint) {
        this(new RegistryTransport(endpoint));
    }

    /** Shares the transport, and so the token cache, with an {@link OciWriter}. */
    OciReader(RegistryTransport transport) {
        this.transport = transport;
    }

    public RegistryEndpoint endpoint() {
        return transport.endpoint();
    }

    /** Checks that the registry answers the v2 API and accepts this client's credentials ({@code GET /v2/}). */
    public void ping() throws RegistryException {
        Call call = new Call("GET", transport.api("/v2/"), "check the v2 API", null, false, Map.of(), null, false);
        HttpResponse<InputStream> response = transport.exchange(call);
        if (response.statusCode() != 200) {
            throw transport.unexpected(call, response);
        }
        RegistryTransport.close(response);
    }

    /**
     * The digest ({@code sha256:<hex>}) that a tag or digest reference points at now: a HEAD request and its
     * {@code Docker-Content-Digest} header, or else a GET and the sha256 of the manifest it returns.
     */
    public String resolve(String repository, String reference) throws RegistryException {
        OciNames.requireRepository(repository);
        OciNames.requireReference(reference);
        URI uri = transport.api("/v2/" + repository + "/manifests/" + reference);
        String what = "resolve " + repository + OciNames.separator(reference) + reference;

        Call head = new Call("HEAD", uri, what, repository, false, MANIFEST_ACCEPT, null, true);
        HttpResponse<InputStream> response = transport.exchange(head);
        int status = response.statusCode();
        Optional<String> headerDigest = response.headers().firstValue("Docker-Content-Digest");
        RegistryTransport.close(response);
        if (status == 404) {
            throw transport.fail(Reason.NOT_FOUND, head, "HTTP 404 (no manifest with this reference)");
        }
        if (status == 200 && headerDigest.isPresent() && Digest.isValid(headerDigest.get())) {
            return checkAgainstReference(head, reference, headerDigest.get());
        }
        // No usable digest from HEAD (not allowed, no header, another algorithm): ask for the manifest itself.
        Call get = new Call("GET", uri, what, repository, false, MANIFEST_ACCEPT, null, true);
        response = transport.exchange(get);
        if (response.statusCode() != 200) {
            throw transport.unexpected(get, response);
        }
        headerDigest = response.headers().firstValue("Docker-Content-Digest");
        byte[] body = transport.readBody(get, response, MAX_MANIFEST_BYTES, "manifest");
        String bodyDigest = Digest.of(body).toString();
        if (headerDigest.isPresent() && Digest.isValid(headerDigest.get()) && !headerDigest.get().equals(bodyDigest)) {
            throw transport.fail(Reason.DIGEST_MISMATCH, get, "the registry says " + headerDigest.get()
                    + " but the manifest it sent hashes to " + bodyDigest);
        }
        return checkAgainstReference(get, reference, bodyDigest);
    }

    /** The manifest bytes at a digest, verified against it. Refuses manifests over {@link #MAX_MANIFEST_BYTES}. */
    public byte[] manifest(String repository, String digest) throws RegistryException {
        OciNames.requireRepository(repository);
        OciNames.requireDigest(digest);
        Call call = new Call("GET", transport.api("/v2/" + repository + "/manifests/" + digest),
                "fetch manifest " + repository + "@" + digest, repository, false, MANIFEST_ACCEPT, null, true);
        HttpResponse<InputStream> response = transport.exchange(call);
        if (response.statusCode() != 200) {
            throw transport.unexpected(call, response);
        }
        byte[] body = transport.readBody(call, response, MAX_MANIFEST_BYTES, "manifest");
        verify(call, body.length, Digest.of(body), digest);
        return body;
    }

    /** Whether the repository holds a blob ({@code HEAD /v2/<repo>/blobs/<digest>}). */
    public boolean blobExists(String repository, String digest) throws RegistryException {
        OciNames.requireRepository(repository);
        OciNames.requireDigest(digest);
        return transport.exists(new Call("HEAD", transport.api("/v2/" + repository + "/blobs/" + digest),
                "check blob " + repository + "@" + digest, repository, false, Map.of(), null, false));
    }

    /**
     * A small blob (a config, a signature payload) in memory, verified against the descriptor's size and digest.
     * Refuses blobs whose descriptor says more than {@code maxBytes}, without asking the registry.
     */
    public byte[] blob(String repository, Descriptor descriptor, long maxBytes) throws RegistryException {
        Call call = blobCall("fetch blob ", repository, descriptor);
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must be within 0.." + (Integer.MAX_VALUE - 8));
        }
        if (descriptor.size() > maxBytes) {
            throw transport.fail(Reason.PROTOCOL, call, "the descriptor says " + descriptor.size()
                    + " bytes, over the limit of " + maxBytes + " for an in-memory blob");
        }
        HttpResponse<InputStream> response = blobResponse(call, descriptor, null);
        byte[] body = transport.readBody(call, response, (int) descriptor.size(), null);
        if (body.length != descriptor.size()) {
            throw sizeMismatch(call, body.length, descriptor.size());
        }
        verify(call, body.length, Digest.of(body), descriptor.digest());
        return body;
    }

    /**
     * Streams a blob into {@code target} (created or replaced; its directory is created if needed), computing its
     * sha256 on the way. The bytes go to a temporary file next to the target that is moved into place only once size
     * and digest are verified: a failed download never leaves partial or corrupt content at the target. On a size or
     * digest mismatch the target is deleted (it may hold an older version) and DIGEST_MISMATCH is thrown; on other
     * failures an existing target is left as it was. Follows redirects (registries send blobs to their storage),
     * without sending the registry's credentials elsewhere. The endpoint's timeout applies to the response headers
     * and, through a {@link StallWatch}, to every pause of the transfer, but not to the whole transfer.
     *
     * @throws UncheckedIOException when the target cannot be written
     */
    public void downloadBlob(String repository, Descriptor descriptor, Path target, Progress progress)
            throws RegistryException {
        Call call = blobCall("download blob ", repository, descriptor);
        Objects.requireNonNull(target, "target");
        Progress report = progress == null ? Progress.NONE : progress;
        Path absolute = target.toAbsolutePath();
        long size = descriptor.size();

        HttpResponse<InputStream> response = blobResponse(call, descriptor, absolute);
        Path temp;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            RegistryTransport.close(response);
            throw new UncheckedIOException("cannot create a file next to " + absolute + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            MessageDigest sha256 = Digest.newSha256();
            long count = receive(call, response.body(), temp, size, sha256, report);
            if (count != size) {
                deleteQuietly(absolute);
                throw sizeMismatch(call, count, size);
            }
            verify(call, count, Digest.of(sha256), descriptor.digest(), absolute);
            moveIntoPlace(temp, absolute);
            done = true;
            report.update(count, size);
        } finally {
            if (!done) {
                deleteQuietly(temp);
            }
        }
    }

    /**
     * Copies the body into {@code temp} and {@code sha256}, at most {@code size + 1} bytes (one more than announced
     * is enough to tell), under a {@link StallWatch}; closes the body. Returns the number of bytes.
     */
    private long receive(Call call, InputStream in, Path temp, long size, MessageDigest sha256, Progress report)
            throws RegistryException {
        long count = 0;
        long reported = 0;
        byte[] buffer = new byte[64 * 1024];
        StallWatch stall = new StallWatch(in, endpoint().timeout());
        try (in; stall; OutputStream out = Files.newOutputStream(temp)) {
            while (count <= size) {
                int n;
                try {
                    n = in.read(buffer, 0, (int) Math.min(buffer.length, size - count + 1));
                    stall.progressed();
                } catch (IOException e) {
                    throw transport.fail(Reason.UNREACHABLE, call, (stall.fired() ? "the transfer stalled: no byte "
                            + "for " + endpoint().timeout().toSeconds() + " s after " : "the transfer broke off after ")
                            + count + " of " + size + " bytes: " + RegistryTransport.describe(e), e);
                }
                if (n < 0) {
                    break;
                }
                sha256.update(buffer, 0, n);
                out.write(buffer, 0, n);
                count += n;
                if (count - reported >= PROGRESS_STEP && count < size) {
                    report.update(count, size);
                    reported = count;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + temp + ": " + e.getMessage(), e);
        }
        return count;
    }

    private Call blobCall(String verb, String repository, Descriptor descriptor) {
        OciNames.requireRepository(repository);
        OciNames.requireDigest(descriptor.digest());
        return new Call("GET", transport.api("/v2/" + repository + "/blobs/" + descriptor.digest()),
                verb + repository + "@" + descriptor.digest(), repository, false, Map.of(), null, true);
    }

    /** The 200 answer to a blob GET whose Content-Length, if any, is the descriptor's size; else deletes {@code stale}. */
    private HttpResponse<InputStream> blobResponse(Call call, Descriptor descriptor, Path stale)
            throws RegistryException {
        HttpResponse<InputStream> response = transport.exchange(call);
        if (response.statusCode() != 200) {
            throw transport.unexpected(call, response);
        }
        OptionalLong length = RegistryTransport.contentLength(response);
        if (length.isPresent() && length.getAsLong() != descriptor.size()) {
            RegistryTransport.close(response);
            if (stale != null) {
                deleteQuietly(stale);
            }
            throw transport.fail(Reason.DIGEST_MISMATCH, call, "the registry announces " + length.getAsLong()
                    + " bytes, the descriptor says " + descriptor.size());
        }
        return response;
    }

    private RegistryException sizeMismatch(Call call, long count, long size) {
        return transport.fail(Reason.DIGEST_MISMATCH, call, "the registry sent " + (count > size ? "more than "
                + size : String.valueOf(count)) + " bytes, the descriptor says " + size);
    }

    private String checkAgainstReference(Call call, String reference, String digest) throws RegistryException {
        if (OciNames.isDigest(reference) && !reference.equals(digest)) {
            throw transport.fail(Reason.DIGEST_MISMATCH, call, "asked for " + reference + ", the registry answered "
                    + digest);
        }
        return digest;
    }

    /** DIGEST_MISMATCH unless the content hashed to the digest asked for; then deletes the {@code stale} files. */
    private void verify(Call call, long length, Digest actual, String expected, Path... stale)
            throws RegistryException {
        if (!actual.toString().equals(expected)) {
            for (Path file : stale) {
                deleteQuietly(file);
            }
            throw transport.fail(Reason.DIGEST_MISMATCH, call, "the " + length + " bytes the registry sent hash to "
                    + actual + ", not to the digest asked for");
        }
    }

    /** Replaces the target in one step where the file system can; readers see the old or the new file, not a mix. */
    private static void moveIntoPlace(Path temp, Path target) {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move the download into " + target + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: the caller gets the original failure
        }
    }
}
