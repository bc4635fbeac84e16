package edge.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edge.registry.oci.RegistryException.Reason;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A client for the OCI Distribution API (registry v2): resolve tags, fetch manifests and blobs with their digests
 * verified, push blobs and manifests. Plain Java on the JDK's HttpClient and Jackson; thread-safe; one instance per
 * registry endpoint (it caches bearer tokens and what it learnt about the registry's authentication).
 *
 * <p>Authentication: a static token is sent as {@code Authorization: Bearer}; with a username and password the client
 * answers the registry's 401 challenge with Basic credentials or with a token fetched from the Bearer realm (cached per
 * scope until it expires). Local file errors (the download target, the file to push) are thrown as
 * {@link UncheckedIOException}; malformed repository names, references and digests as
 * {@link IllegalArgumentException}; everything the registry or the network does as {@link RegistryException}.
 */
public final class OciClient {

    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";

    /** The largest manifest fetched or pushed. */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

    private static final String MANIFEST_ACCEPT =
            String.join(", ", OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST);
    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_TOKEN_BODY = 256 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final long PROGRESS_STEP = 1024 * 1024;
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);
    private static final String USER_AGENT = "edge-oci-client/1";

    // The OCI distribution spec's grammar: path components of lower-case alphanumerics joined by separators.
    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern REPOSITORY = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");
    private static final int MAX_REPOSITORY_LENGTH = 255;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final RegistryEndpoint endpoint;
    private final HttpClient http;

    /** Set once the registry has asked for Basic credentials: later requests send them up front. */
    private volatile boolean basicChallenged;
    /** Set once the registry has sent a Bearer challenge: later requests fetch their token up front. */
    private volatile BearerRealm bearerRealm;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();

    /** Called while a blob downloads: at most about every MiB, and once at the end with bytes == total. */
    @FunctionalInterface
    public interface Progress {
        void update(long bytes, long total);

        Progress NONE = (bytes, total) -> {
        };
    }

    /**
     * @throws IllegalArgumentException when the endpoint's CA file cannot be read or holds no certificate
     */
    public OciClient(RegistryEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(endpoint.timeout())
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, without leaking credentials
                .version(HttpClient.Version.HTTP_1_1);
        endpoint.caFile().ifPresent(ca -> builder.sslContext(CaTrust.sslContext(ca)));
        this.http = builder.build();
    }

    public RegistryEndpoint endpoint() {
        return endpoint;
    }

    // ------------------------------------------------------------------------------------------------ reading

    /** Checks that the registry answers the v2 API and accepts this client's credentials ({@code GET /v2/}). */
    public void ping() throws RegistryException {
        Call call = new Call("GET", api("/v2/"), "check the v2 API", null, false, Map.of(), null, false);
        HttpResponse<InputStream> response = exchange(call);
        if (response.statusCode() != 200) {
            throw unexpected(call, response);
        }
        close(response);
    }

    /**
     * The digest ({@code sha256:<hex>}) that a tag or digest reference points at now: a HEAD request and its
     * {@code Docker-Content-Digest} header, or else a GET and the sha256 of the manifest it returns.
     */
    public String resolve(String repository, String reference) throws RegistryException {
        requireRepository(repository);
        requireReference(reference);
        URI uri = api("/v2/" + repository + "/manifests/" + reference);
        String what = "resolve " + repository + separator(reference) + reference;
        Map<String, String> accept = Map.of("Accept", MANIFEST_ACCEPT);

        Call head = new Call("HEAD", uri, what, repository, false, accept, null, true);
        HttpResponse<InputStream> response = exchange(head);
        int status = response.statusCode();
        Optional<String> headerDigest = response.headers().firstValue("Docker-Content-Digest");
        close(response);
        if (status == 404) {
            throw fail(Reason.NOT_FOUND, head, "HTTP 404 (no manifest with this reference)");
        }
        if (status == 200 && headerDigest.isPresent() && Digest.isValid(headerDigest.get())) {
            return checkAgainstReference(head, reference, headerDigest.get());
        }
        // No usable digest from HEAD (not allowed, no header, another algorithm): ask for the manifest itself.
        Call get = new Call("GET", uri, what, repository, false, accept, null, true);
        response = exchange(get);
        if (response.statusCode() != 200) {
            throw unexpected(get, response);
        }
        headerDigest = response.headers().firstValue("Docker-Content-Digest");
        byte[] body = readBody(get, response, MAX_MANIFEST_BYTES, "manifest");
        String bodyDigest = digest(body);
        if (headerDigest.isPresent() && Digest.isValid(headerDigest.get())
                && !headerDigest.get().equals(bodyDigest)) {
            throw fail(Reason.DIGEST_MISMATCH, get, "the registry says " + headerDigest.get()
                    + " but the manifest it sent hashes to " + bodyDigest);
        }
        return checkAgainstReference(get, reference, bodyDigest);
    }

    /**
     * The manifest bytes at a digest, verified against it. Refuses manifests over {@link #MAX_MANIFEST_BYTES}.
     */
    public byte[] manifest(String repository, String digest) throws RegistryException {
        requireRepository(repository);
        requireDigest(digest);
        Call call = new Call("GET", api("/v2/" + repository + "/manifests/" + digest),
                "fetch manifest " + repository + "@" + digest, repository, false,
                Map.of("Accept", MANIFEST_ACCEPT), null, true);
        HttpResponse<InputStream> response = exchange(call);
        if (response.statusCode() != 200) {
            throw unexpected(call, response);
        }
        byte[] body = readBody(call, response, MAX_MANIFEST_BYTES, "manifest");
        verify(call, body, digest);
        return body;
    }

    /** Whether the repository holds a blob ({@code HEAD /v2/<repo>/blobs/<digest>}). */
    public boolean blobExists(String repository, String digest) throws RegistryException {
        requireRepository(repository);
        requireDigest(digest);
        return blobPresent(repository, digest, false, "check blob " + repository + "@" + digest);
    }

    /**
     * A small blob (a config, a signature payload) in memory, verified against the descriptor's size and digest.
     * Refuses blobs whose descriptor says more than {@code maxBytes}, without asking the registry.
     */
    public byte[] blob(String repository, Descriptor descriptor, long maxBytes) throws RegistryException {
        requireRepository(repository);
        requireDigest(descriptor.digest());
        if (maxBytes < 0 || maxBytes > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("maxBytes must be within 0.." + (Integer.MAX_VALUE - 8));
        }
        Call call = new Call("GET", api("/v2/" + repository + "/blobs/" + descriptor.digest()),
                "fetch blob " + repository + "@" + descriptor.digest(), repository, false, Map.of(), null, true);
        if (descriptor.size() > maxBytes) {
            throw fail(Reason.PROTOCOL, call, "the descriptor says " + descriptor.size()
                    + " bytes, over the limit of " + maxBytes + " for an in-memory blob");
        }
        HttpResponse<InputStream> response = exchange(call);
        if (response.statusCode() != 200) {
            throw unexpected(call, response);
        }
        OptionalLong length = contentLength(response.headers());
        if (length.isPresent() && length.getAsLong() != descriptor.size()) {
            close(response);
            throw fail(Reason.DIGEST_MISMATCH, call, "the registry announces " + length.getAsLong()
                    + " bytes, the descriptor says " + descriptor.size());
        }
        byte[] body = readBody(call, response, (int) descriptor.size(), null);
        if (body.length != descriptor.size()) {
            throw fail(Reason.DIGEST_MISMATCH, call, "the registry sent " + (body.length > descriptor.size()
                    ? "more than " + descriptor.size() : String.valueOf(body.length))
                    + " bytes, the descriptor says " + descriptor.size());
        }
        verify(call, body, descriptor.digest());
        return body;
    }

    /**
     * Streams a blob into {@code target} (created or replaced; its directory is created if needed), computing its
     * sha256 on the way. The bytes go to a temporary file next to the target that is moved into place only once size
     * and digest are verified: a failed download never leaves partial or corrupt content at the target. On a size or
     * digest mismatch the target is deleted (it may hold an older version) and DIGEST_MISMATCH is thrown; on other
     * failures an existing target is left as it was. Follows redirects (registries send blobs to their storage),
     * without sending the registry's credentials elsewhere. The timeout applies to the response headers, not to the
     * whole transfer.
     *
     * @throws UncheckedIOException when the target cannot be written
     */
    public void downloadBlob(String repository, Descriptor descriptor, Path target, Progress progress)
            throws RegistryException {
        requireRepository(repository);
        requireDigest(descriptor.digest());
        Objects.requireNonNull(target, "target");
        Progress report = progress == null ? Progress.NONE : progress;
        Path absolute = target.toAbsolutePath();
        Call call = new Call("GET", api("/v2/" + repository + "/blobs/" + descriptor.digest()),
                "download blob " + repository + "@" + descriptor.digest(), repository, false, Map.of(), null,
                true);
        long size = descriptor.size();

        HttpResponse<InputStream> response = exchange(call);
        if (response.statusCode() != 200) {
            throw unexpected(call, response);
        }
        OptionalLong length = contentLength(response.headers());
        if (length.isPresent() && length.getAsLong() != size) {
            close(response);
            deleteQuietly(absolute);
            throw fail(Reason.DIGEST_MISMATCH, call, "the registry announces " + length.getAsLong()
                    + " bytes, the descriptor says " + size);
        }
        Path temp;
        try {
            Files.createDirectories(absolute.getParent());
            temp = Files.createTempFile(absolute.getParent(), "." + absolute.getFileName() + ".", ".part");
        } catch (IOException e) {
            close(response);
            throw new UncheckedIOException("cannot create a file next to " + absolute + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            MessageDigest sha256 = Digest.newSha256();
            long count = 0;
            long reported = 0;
            byte[] buffer = new byte[64 * 1024];
            InputStream in = response.body();
            StallWatch stall = new StallWatch(in, endpoint.timeout());
            try (in; stall; OutputStream out = Files.newOutputStream(temp)) {
                while (count <= size) {
                    int n;
                    try {
                        n = in.read(buffer, 0, (int) Math.min(buffer.length, size - count + 1));
                        stall.progressed();
                    } catch (IOException e) {
                        throw fail(Reason.UNREACHABLE, call, (stall.fired() ? "the transfer stalled: no byte for "
                                + endpoint.timeout().toSeconds() + " s after " : "the transfer broke off after ")
                                + count + " of " + size + " bytes: " + describe(e), e);
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
            if (count != size) {
                deleteQuietly(absolute);
                throw fail(Reason.DIGEST_MISMATCH, call, "the registry sent " + (count > size ? "more than "
                        + size : String.valueOf(count)) + " bytes, the descriptor says " + size);
            }
            String actual = Digest.of(sha256).toString();
            if (!actual.equals(descriptor.digest())) {
                deleteQuietly(absolute);
                throw fail(Reason.DIGEST_MISMATCH, call, "the " + count + " bytes the registry sent hash to "
                        + actual + ", not to the digest asked for");
            }
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
     * Closes a download's stream when no byte arrived for {@code timeout}: a registry (or a proxy) that stalls mid-blob
     * would otherwise hold the pull thread forever, and with it every later check of the tag.
     */
    private static final class StallWatch implements AutoCloseable {
        private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "edge-registry-stall-watch");
            thread.setDaemon(true);
            return thread;
        });

        private final InputStream in;
        private final long timeoutNanos;
        private final ScheduledFuture<?> check;
        private volatile long last = System.nanoTime();
        private volatile boolean fired;

        StallWatch(InputStream in, Duration timeout) {
            this.in = in;
            this.timeoutNanos = timeout.toNanos();
            long period = Math.max(100, timeout.toMillis() / 4);
            this.check = TIMER.scheduleAtFixedRate(this::check, period, period, TimeUnit.MILLISECONDS);
        }

        void progressed() {
            last = System.nanoTime();
        }

        boolean fired() {
            return fired;
        }

        private void check() {
            if (!fired && System.nanoTime() - last > timeoutNanos) {
                fired = true;
                try {
                    in.close();
                } catch (IOException ignored) {
                    // The reader sees the stream fail either way.
                }
            }
        }

        @Override
        public void close() {
            check.cancel(false);
        }
    }

    // ------------------------------------------------------------------------------------------------ writing

    /** Uploads a blob unless the repository already has it; returns its descriptor (no annotations). */
    public Descriptor pushBlob(String repository, byte[] content, String mediaType) throws RegistryException {
        requireRepository(repository);
        Objects.requireNonNull(mediaType, "mediaType");
        Descriptor descriptor = new Descriptor(mediaType, digest(content), content.length);
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
        requireRepository(repository);
        Objects.requireNonNull(mediaType, "mediaType");
        BodyPublisher body;
        Descriptor descriptor;
        try {
            long size = Files.size(file);
            descriptor = new Descriptor(mediaType, digest(file), size);
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
        requireRepository(repository);
        requireReference(reference);
        Objects.requireNonNull(mediaType, "mediaType");
        if (manifest.length > MAX_MANIFEST_BYTES) {
            throw new IllegalArgumentException("manifest of " + manifest.length + " bytes is over the limit of "
                    + MAX_MANIFEST_BYTES);
        }
        String digest = digest(manifest);
        if (isDigest(reference) && !reference.equals(digest)) {
            throw new IllegalArgumentException("manifest pushed by digest " + reference + " hashes to " + digest);
        }
        Call call = new Call("PUT", api("/v2/" + repository + "/manifests/" + reference),
                "push manifest " + repository + separator(reference) + reference, repository, true,
                Map.of("Content-Type", mediaType), BodyPublishers.ofByteArray(manifest), false);
        HttpResponse<InputStream> response = exchange(call);
        if (response.statusCode() != 201) {
            throw unexpected(call, response);
        }
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        close(response);
        if (stored.isPresent() && !stored.get().equals(digest)) {
            throw fail(Reason.DIGEST_MISMATCH, call, "the registry stored it as " + stored.get()
                    + ", the bytes hash to " + digest);
        }
        return digest;
    }

    // ------------------------------------------------------------------------------------------------ digests

    /** {@code sha256:<hex>} of the bytes. */
    public static String digest(byte[] bytes) {
        return Digest.of(bytes).toString();
    }

    /** {@code sha256:<hex>} of a file's content, read as a stream. */
    public static String digest(Path file) throws IOException {
        return Digest.of(file).toString();
    }

    // ------------------------------------------------------------------------------------------------ validation

    /** @throws IllegalArgumentException unless the name follows the OCI distribution spec's repository grammar */
    public static String requireRepository(String repository) {
        if (repository == null || repository.length() > MAX_REPOSITORY_LENGTH
                || !REPOSITORY.matcher(repository).matches()) {
            throw new IllegalArgumentException("invalid repository name '" + repository + "': path components of "
                    + "lower-case letters and digits, separated by '.', '_', '__' or '-', joined by '/', at most "
                    + MAX_REPOSITORY_LENGTH + " characters");
        }
        return repository;
    }

    /** @throws IllegalArgumentException unless it is a tag or a sha256 digest */
    public static String requireReference(String reference) {
        if (reference != null && reference.contains(":")) {
            return requireDigest(reference);
        }
        if (reference == null || !TAG.matcher(reference).matches()) {
            throw new IllegalArgumentException("invalid tag '" + reference + "': up to 128 letters, digits, '_', "
                    + "'.' and '-', not starting with '.' or '-'");
        }
        return reference;
    }

    /** @throws IllegalArgumentException unless it is {@code sha256:} and 64 lower-case hex digits */
    public static String requireDigest(String digest) {
        Digest.parse(digest);
        return digest;
    }

    private static boolean isDigest(String reference) {
        return reference.contains(":");
    }

    private static String separator(String reference) {
        return isDigest(reference) ? "@" : ":";
    }

    // ------------------------------------------------------------------------------------------------ push steps

    private void push(String repository, Descriptor descriptor, BodyPublisher body) throws RegistryException {
        String what = "push blob " + repository + "@" + descriptor.digest();
        if (blobPresent(repository, descriptor.digest(), true, what)) {
            return;
        }
        Call post = new Call("POST", api("/v2/" + repository + "/blobs/uploads/"), what, repository, true,
                Map.of(), BodyPublishers.noBody(), false);
        HttpResponse<InputStream> response = exchange(post);
        if (response.statusCode() != 202) {
            throw unexpected(post, response);
        }
        Optional<String> location = response.headers().firstValue("Location");
        close(response);
        if (location.isEmpty()) {
            throw fail(Reason.PROTOCOL, post, "HTTP 202 without a Location header for the upload");
        }
        URI upload;
        try {
            upload = post.uri().resolve(location.get());
        } catch (IllegalArgumentException e) {
            throw fail(Reason.PROTOCOL, post, "unusable upload Location '" + location.get() + "'");
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
        response = exchange(putCall);
        if (response.statusCode() != 201) {
            throw unexpected(putCall, response);
        }
        Optional<String> stored = response.headers().firstValue("Docker-Content-Digest");
        close(response);
        if (stored.isPresent() && !stored.get().equals(descriptor.digest())) {
            throw fail(Reason.DIGEST_MISMATCH, putCall, "the registry stored it as " + stored.get());
        }
    }

    private boolean blobPresent(String repository, String digest, boolean push, String what)
            throws RegistryException {
        Call head = new Call("HEAD", api("/v2/" + repository + "/blobs/" + digest), what, repository, push,
                Map.of(), null, false);
        HttpResponse<InputStream> response = exchange(head);
        int status = response.statusCode();
        if (status == 200 || isRedirect(status)) { // a redirect to storage: the registry has it
            close(response);
            return true;
        }
        if (status == 404) {
            close(response);
            return false;
        }
        throw unexpected(head, response);
    }

    // ------------------------------------------------------------------------------------------------ HTTP

    /**
     * One request of an operation. {@code repository} null: no repository scope (the /v2/ check); {@code push}: the
     * token must grant push as well as pull.
     */
    private record Call(String method, URI uri, String what, String repository, boolean push,
            Map<String, String> headers, BodyPublisher body, boolean followRedirects) {
    }

    private record BearerRealm(String realm, String service) {
    }

    private record CachedToken(String value, Instant refreshAt) {
    }

    private URI api(String path) {
        return URI.create(endpoint.url().toString() + path);
    }

    /**
     * Sends the call with authentication and, for GETs, follows redirects. Returns the final response whatever its
     * status, except 401 and 403, which are thrown as UNAUTHORIZED. The caller closes the response body.
     */
    private HttpResponse<InputStream> exchange(Call call) throws RegistryException {
        URI uri = call.uri();
        for (int hops = 0; ; hops++) {
            HttpResponse<InputStream> response = sendAuthenticated(call, uri);
            int status = response.statusCode();
            if (!call.followRedirects() || !isRedirect(status)) {
                return response;
            }
            Optional<String> location = response.headers().firstValue("Location");
            close(response);
            if (location.isEmpty()) {
                throw fail(Reason.PROTOCOL, call, "HTTP " + status + " redirect without a Location header");
            }
            if (hops >= MAX_REDIRECTS) {
                throw fail(Reason.PROTOCOL, call, "more than " + MAX_REDIRECTS + " redirects");
            }
            URI next;
            try {
                next = uri.resolve(location.get());
            } catch (IllegalArgumentException e) {
                throw fail(Reason.PROTOCOL, call, "HTTP " + status + " redirect to an unusable Location");
            }
            String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !(scheme.equals("http") && "http".equals(endpoint.url().getScheme()))) {
                throw fail(Reason.PROTOCOL, call, "refusing a redirect from " + redact(uri) + " to " + redact(next));
            }
            uri = next;
        }
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private HttpResponse<InputStream> sendAuthenticated(Call call, URI uri) throws RegistryException {
        boolean toRegistry = sameOrigin(uri, endpoint.url());
        String authorization = toRegistry ? authorization(call) : null;
        HttpResponse<InputStream> response = send(call, uri, authorization);
        int status = response.statusCode();
        if (status == 403) {
            throw fail(Reason.UNAUTHORIZED, call, errorDetail(response) + ": access denied" + as());
        }
        if (status != 401) {
            return response;
        }
        List<AuthChallenge> challenges = AuthChallenge.parse(response.headers().allValues("WWW-Authenticate"));
        String firstDetail = errorDetail(response);
        if (!toRegistry) {
            throw fail(Reason.UNAUTHORIZED, call, firstDetail + " from " + redact(uri));
        }
        String retry = answer(call, challenges, authorization, firstDetail);
        response = send(call, uri, retry);
        status = response.statusCode();
        if (status == 401 || status == 403) {
            String detail = errorDetail(response);
            String why;
            if (retry.startsWith("Basic ")) {
                why = "the registry rejected the credentials of user " + endpoint.username().orElse("?");
            } else if (endpoint.username().isPresent()) {
                why = "the token issued to user " + endpoint.username().get() + " does not grant "
                        + scopeText(call);
            } else {
                why = "anonymous access is not allowed (" + scopeText(call)
                        + "); configure a username and password or a token";
            }
            throw fail(Reason.UNAUTHORIZED, call, detail + ": " + why);
        }
        return response;
    }

    private String as() {
        if (endpoint.token().isPresent()) {
            return " with the configured token";
        }
        return endpoint.username().map(u -> " to user " + u).orElse(" to anonymous requests");
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** The Authorization header to send up front, from what is known already; null: none. */
    private String authorization(Call call) throws RegistryException {
        if (endpoint.token().isPresent()) {
            return "Bearer " + endpoint.token().get();
        }
        BearerRealm realm = bearerRealm;
        if (realm != null) {
            return "Bearer " + token(call, realm, scopes(call, Optional.empty()), false);
        }
        if (basicChallenged && endpoint.username().isPresent()) {
            return basic();
        }
        return null;
    }

    /** The Authorization header that answers a 401's challenges, or UNAUTHORIZED when there is none to give. */
    private String answer(Call call, List<AuthChallenge> challenges, String sent, String detail)
            throws RegistryException {
        if (endpoint.token().isPresent()) {
            throw fail(Reason.UNAUTHORIZED, call, detail + ": the registry rejected the configured token");
        }
        Optional<AuthChallenge> bearer = challenges.stream()
                .filter(c -> c.is("bearer") && c.param("realm").isPresent()).findFirst();
        if (bearer.isPresent()) {
            BearerRealm realm = new BearerRealm(bearer.get().param("realm").get(),
                    bearer.get().param("service").orElse(null));
            bearerRealm = realm;
            return "Bearer " + token(call, realm, scopes(call, bearer.get().param("scope")), true);
        }
        Optional<AuthChallenge> basic = challenges.stream().filter(c -> c.is("basic")).findFirst();
        if (basic.isPresent()) {
            if (endpoint.username().isEmpty()) {
                throw fail(Reason.UNAUTHORIZED, call, detail + ": the registry asks for a username and password"
                        + basic.get().param("realm").map(r -> " (Basic realm \"" + r + "\")").orElse("")
                        + " and none are configured");
            }
            if (sent != null && sent.startsWith("Basic ")) {
                throw fail(Reason.UNAUTHORIZED, call, detail + ": the registry rejected the credentials of user "
                        + endpoint.username().get());
            }
            basicChallenged = true;
            return basic();
        }
        String schemes = challenges.stream().map(AuthChallenge::scheme).collect(Collectors.joining(", "));
        throw fail(Reason.UNAUTHORIZED, call, detail + (challenges.isEmpty()
                ? ": no WWW-Authenticate challenge to answer"
                : ": unsupported authentication scheme(s) " + schemes));
    }

    private String basic() {
        String pair = endpoint.username().orElseThrow() + ":" + endpoint.password().orElseThrow();
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    /** The scopes a call needs, plus the one the registry's challenge names if it differs. */
    private static Set<String> scopes(Call call, Optional<String> challenged) {
        Set<String> scopes = new TreeSet<>();
        if (call.repository() != null) {
            scopes.add("repository:" + call.repository() + (call.push() ? ":pull,push" : ":pull"));
        }
        challenged.ifPresent(s -> {
            for (String scope : s.trim().split("\\s+")) {
                if (!scope.isEmpty() && scopes.stream().noneMatch(own -> covers(own, scope))) {
                    scopes.add(scope);
                }
            }
        });
        return scopes;
    }

    /** Whether {@code own} ("repository:a/b:pull,push") grants everything {@code other} asks for. */
    private static boolean covers(String own, String other) {
        int ownCut = own.lastIndexOf(':');
        int otherCut = other.lastIndexOf(':');
        if (ownCut < 0 || otherCut < 0 || !own.substring(0, ownCut).equals(other.substring(0, otherCut))) {
            return false;
        }
        Set<String> granted = Set.of(own.substring(ownCut + 1).split(","));
        return granted.containsAll(List.of(other.substring(otherCut + 1).split(",")));
    }

    private static String scopeText(Call call) {
        return call.repository() == null ? "registry access"
                : "repository:" + call.repository() + (call.push() ? ":pull,push" : ":pull");
    }

    /** A bearer token for the scopes: from the cache unless {@code fresh}, else from the realm. */
    private String token(Call call, BearerRealm realm, Set<String> scopes, boolean fresh) throws RegistryException {
        String key = realm.realm() + " " + realm.service() + " " + String.join(" ", scopes);
        CachedToken cached = tokens.get(key);
        if (!fresh && cached != null && Instant.now().isBefore(cached.refreshAt())) {
            return cached.value();
        }
        CachedToken token = fetchToken(call, realm, scopes);
        tokens.put(key, token);
        return token.value();
    }

    private CachedToken fetchToken(Call call, BearerRealm realm, Set<String> scopes) throws RegistryException {
        URI realmUri;
        try {
            realmUri = URI.create(realm.realm());
        } catch (IllegalArgumentException e) {
            throw fail(Reason.PROTOCOL, call, "the registry's Bearer realm '" + realm.realm() + "' is not a URL");
        }
        String scheme = realmUri.getScheme() == null ? "" : realmUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || realmUri.getHost() == null) {
            throw fail(Reason.PROTOCOL, call, "the registry's Bearer realm '" + realm.realm()
                    + "' is not an http(s) URL");
        }
        List<String> query = new ArrayList<>();
        if (realm.service() != null) {
            query.add("service=" + URLEncoder.encode(realm.service(), StandardCharsets.UTF_8));
        }
        for (String scope : scopes) {
            query.add("scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        }
        String base = realm.realm();
        URI uri = URI.create(query.isEmpty() ? base
                : base + (realmUri.getRawQuery() == null ? "?" : "&") + String.join("&", query));
        Call tokenCall = new Call("GET", uri, call.what() + " (token from " + redact(realmUri) + ")", null, false,
                Map.of("Accept", "application/json"), null, false);
        String authorization = endpoint.username().isPresent() ? basic() : null;
        HttpResponse<InputStream> response = send(tokenCall, uri, authorization);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw fail(Reason.UNAUTHORIZED, tokenCall, errorDetail(response) + ": the token service refused "
                    + endpoint.username().map(u -> "user " + u).orElse("an anonymous request") + " for "
                    + String.join(" ", scopes));
        }
        if (status != 200) {
            throw unexpected(tokenCall, response);
        }
        byte[] body = readBody(tokenCall, response, MAX_TOKEN_BODY, "token response");
        JsonNode json;
        try {
            json = JSON.readTree(body);
        } catch (IOException e) {
            throw fail(Reason.PROTOCOL, tokenCall, "the token response is not JSON");
        }
        String token = text(json, "token").or(() -> text(json, "access_token")).orElse(null);
        if (token == null || token.isBlank()) {
            throw fail(Reason.PROTOCOL, tokenCall, "the token response has no 'token' nor 'access_token'");
        }
        Duration lifetime = DEFAULT_TOKEN_LIFETIME;
        JsonNode expires = json == null ? null : json.get("expires_in");
        if (expires != null && expires.canConvertToLong() && expires.asLong() > 0) {
            lifetime = Duration.ofSeconds(expires.asLong());
        }
        // Renew a little early so that a token does not expire between the cache and the registry.
        Duration margin = lifetime.dividedBy(10).compareTo(Duration.ofSeconds(10)) < 0
                ? lifetime.dividedBy(10) : Duration.ofSeconds(10);
        return new CachedToken(token, Instant.now().plus(lifetime).minus(margin));
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }

    private HttpResponse<InputStream> send(Call call, URI uri, String authorization) throws RegistryException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(endpoint.timeout())
                .method(call.method(), call.body() == null ? BodyPublishers.noBody() : call.body())
                .header("User-Agent", USER_AGENT);
        call.headers().forEach(request::header);
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw fail(Reason.UNREACHABLE, call, "no connection to " + redact(uri) + " within "
                    + endpoint.timeout().toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw fail(Reason.UNREACHABLE, call, "no answer from " + redact(uri) + " within "
                    + endpoint.timeout().toMillis() + " ms", e);
        } catch (IOException e) {
            SSLException tls = cause(e, SSLException.class);
            if (tls != null) {
                throw fail(Reason.UNREACHABLE, call, "TLS with " + redact(uri) + " failed: " + tls.getMessage()
                        + (endpoint.caFile().isEmpty()
                        ? " (for a private CA or a self-signed certificate, set the endpoint's caFile)"
                        : " (trusting only the certificates in " + endpoint.caFile().get() + ")"), e);
            }
            if (cause(e, UnresolvedAddressException.class) != null) {
                throw fail(Reason.UNREACHABLE, call, "cannot resolve the host of " + redact(uri), e);
            }
            if (cause(e, ConnectException.class) != null) {
                throw fail(Reason.UNREACHABLE, call, "cannot connect to " + redact(uri)
                        + " (connection refused: is the registry running there?): " + describe(e), e);
            }
            throw fail(Reason.UNREACHABLE, call, "no answer from " + redact(uri) + ": " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail(Reason.UNREACHABLE, call, "interrupted while waiting for " + redact(uri), e);
        }
    }

    // ------------------------------------------------------------------------------------------------ bodies

    /** Reads a whole body of at most {@code limit} bytes; {@code what} non-null: more is PROTOCOL, else returned. */
    private byte[] readBody(Call call, HttpResponse<InputStream> response, int limit, String what)
            throws RegistryException {
        OptionalLong length = contentLength(response.headers());
        if (what != null && length.isPresent() && length.getAsLong() > limit) {
            close(response);
            throw fail(Reason.PROTOCOL, call, "the " + what + " is " + length.getAsLong() + " bytes, over the limit of "
                    + limit);
        }
        byte[] body;
        try (InputStream in = response.body()) {
            body = readAtMost(in, limit + 1);
        } catch (IOException e) {
            throw fail(Reason.UNREACHABLE, call, "the answer broke off: " + describe(e), e);
        }
        if (what != null && body.length > limit) {
            throw fail(Reason.PROTOCOL, call, "the " + what + " is over the limit of " + limit + " bytes");
        }
        return body;
    }

    private static byte[] readAtMost(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(limit, 64 * 1024));
        byte[] buffer = new byte[16 * 1024];
        int total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            out.write(buffer, 0, n);
            total += n;
        }
        return out.toByteArray();
    }

    private static OptionalLong contentLength(HttpHeaders headers) {
        return headers.firstValueAsLong("Content-Length");
    }

    /** The registry's error codes and messages of a failed answer, and its status: "HTTP 404 MANIFEST_UNKNOWN: ...". */
    private static String errorDetail(HttpResponse<InputStream> response) {
        return "HTTP " + response.statusCode() + errorBody(response).map(b -> " " + b).orElse("");
    }

    private static final Set<String> DIGEST_ERRORS = Set.of("DIGEST_INVALID", "SIZE_INVALID");

    /** Maps a response the operation did not expect to an exception; reads and closes its body. */
    private RegistryException unexpected(Call call, HttpResponse<InputStream> response) {
        int status = response.statusCode();
        List<String> codes = new ArrayList<>();
        Optional<String> body = errorBody(response, codes);
        String detail = "HTTP " + status + body.map(b -> " " + b).orElse("");
        Reason reason;
        if (status == 404) {
            reason = Reason.NOT_FOUND;
        } else if (status == 401 || status == 403) {
            reason = Reason.UNAUTHORIZED;
        } else if (status == 400 && codes.stream().anyMatch(DIGEST_ERRORS::contains)) {
            reason = Reason.DIGEST_MISMATCH;
        } else {
            reason = Reason.PROTOCOL;
        }
        return fail(reason, call, detail);
    }

    private static Optional<String> errorBody(HttpResponse<InputStream> response) {
        return errorBody(response, new ArrayList<>());
    }

    /** "CODE: message; CODE: message" from the OCI error JSON, or the start of a text body; closes the body. */
    private static Optional<String> errorBody(HttpResponse<InputStream> response, List<String> codes) {
        byte[] body;
        try (InputStream in = response.body()) {
            body = readAtMost(in, MAX_ERROR_BODY);
        } catch (IOException e) {
            return Optional.empty();
        }
        if (body.length == 0) {
            return Optional.empty();
        }
        try {
            JsonNode errors = JSON.readTree(body).path("errors");
            if (errors.isArray() && errors.size() > 0) {
                Set<String> parts = new LinkedHashSet<>();
                for (JsonNode error : errors) {
                    String code = error.path("code").asText("");
                    codes.add(code);
                    parts.add(code + ": " + error.path("message").asText(""));
                }
                return Optional.of(String.join("; ", parts));
            }
        } catch (IOException | RuntimeException notJson) {
            // fall through to the text
        }
        String text = new String(body, 0, Math.min(body.length, 300), StandardCharsets.UTF_8)
                .replaceAll("\\s+", " ").trim();
        return text.isEmpty() ? Optional.empty() : Optional.of("'" + text + "'");
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private String checkAgainstReference(Call call, String reference, String digest) throws RegistryException {
        if (isDigest(reference) && !reference.equals(digest)) {
            throw fail(Reason.DIGEST_MISMATCH, call, "asked for " + reference + ", the registry answered " + digest);
        }
        return digest;
    }

    private void verify(Call call, byte[] body, String expected) throws RegistryException {
        String actual = digest(body);
        if (!actual.equals(expected)) {
            throw fail(Reason.DIGEST_MISMATCH, call, "the " + body.length + " bytes the registry sent hash to "
                    + actual + ", not to the digest asked for");
        }
    }

    private RegistryException fail(Reason reason, Call call, String detail) {
        return fail(reason, call, detail, null);
    }

    private RegistryException fail(Reason reason, Call call, String detail, Throwable cause) {
        return new RegistryException(reason, call.what() + " at " + endpoint.url() + ": " + detail, cause);
    }

    /** A URI for messages: without its query, which may carry upload state or storage signatures. */
    private static String redact(URI uri) {
        String s = uri.toString();
        int cut = s.indexOf('?');
        return cut < 0 ? s : s.substring(0, cut);
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    /** The chain of causes in one line: the JDK's connection errors often have no message of their own. */
    private static String describe(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            parts.add(t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + " " + t.getMessage());
        }
        return String.join(": ", parts);
    }

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
