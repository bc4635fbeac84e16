package edge.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edge.registry.oci.RegistryException.Reason;

import javax.net.ssl.SSLException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The HTTP layer under {@link OciReader} and {@link OciWriter}, one per registry endpoint: sends a request, follows
 * redirects by hand (credentials go only to the registry's own origin, never to the storage it redirects to, and
 * never over a downgrade to plain http), turns network failures and unexpected answers into
 * {@link RegistryException}s with the registry's own error text, reads bodies up to a limit, and keeps query strings
 * (upload state, storage signatures) out of every message. Authentication is {@link RegistryAuth}'s. Thread-safe:
 * the JDK's HttpClient is, and the only mutable state is RegistryAuth's.
 */
final class RegistryTransport {

    /**
     * One request of an operation. {@code what} starts every error message; {@code repository} null: no repository
     * scope (the /v2/ check); {@code push}: the token must grant push as well as pull.
     */
    record Call(String method, URI uri, String what, String repository, boolean push,
            Map<String, String> headers, BodyPublisher body, boolean followRedirects) {
    }

    static final ObjectMapper JSON = new ObjectMapper();

    private static final int MAX_ERROR_BODY = 64 * 1024;
    private static final int MAX_REDIRECTS = 5;
    private static final String USER_AGENT = "edge-oci-client/1";
    private static final Set<String> DIGEST_ERRORS = Set.of("DIGEST_INVALID", "SIZE_INVALID");

    private final RegistryEndpoint endpoint;
    private final HttpClient http;
    private final RegistryAuth auth;

    /** @throws IllegalArgumentException when the endpoint's CA file cannot be read or holds no certificate */
    RegistryTransport(RegistryEndpoint endpoint) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        HttpClient.Builder builder = HttpClient.newBuilder()
                .connectTimeout(endpoint.timeout())
                .followRedirects(HttpClient.Redirect.NEVER) // followed by hand, without leaking credentials
                .version(HttpClient.Version.HTTP_1_1);
        endpoint.caFile().ifPresent(ca -> builder.sslContext(CaTrust.sslContext(ca)));
        this.http = builder.build();
        this.auth = new RegistryAuth(endpoint, this); // only stores this; sends nothing before construction ends
    }

    RegistryEndpoint endpoint() {
        return endpoint;
    }

    /** The registry's URI for an API path such as {@code /v2/<repo>/manifests/<reference>}. */
    URI api(String path) {
        return URI.create(endpoint.url().toString() + path);
    }

    /**
     * Sends the call, authenticated to the registry, and for calls that allow it follows redirects. Returns the
     * final response whatever its status, except 401 and 403, which are thrown as UNAUTHORIZED. The caller closes
     * the response body.
     */
    HttpResponse<InputStream> exchange(Call call) throws RegistryException {
        URI uri = call.uri();
        for (int hops = 0; ; hops++) {
            boolean toRegistry = sameOrigin(uri, endpoint.url());
            HttpResponse<InputStream> response = toRegistry ? auth.send(call, uri) : send(call, uri, null);
            int status = response.statusCode();
            if (status == 403) {
                throw fail(Reason.UNAUTHORIZED, call, errorDetail(response) + ": access denied" + auth.as());
            }
            if (status == 401) { // from the registry RegistryAuth has answered it already
                throw fail(Reason.UNAUTHORIZED, call, errorDetail(response) + " from " + redact(uri));
            }
            if (!call.followRedirects() || !isRedirect(status)) {
                return response;
            }
            uri = redirect(call, uri, response, hops);
        }
    }

    /** Where a redirect leads: refuses a missing or unusable Location, too many hops and a downgrade to http. */
    private URI redirect(Call call, URI uri, HttpResponse<InputStream> response, int hops) throws RegistryException {
        int status = response.statusCode();
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
        return next;
    }

    /** A HEAD's verdict: 200 or a redirect (to storage) is there, 404 is not, anything else is an exception. */
    boolean exists(Call head) throws RegistryException {
        HttpResponse<InputStream> response = exchange(head);
        int status = response.statusCode();
        if (status == 200 || isRedirect(status) || status == 404) {
            close(response);
            return status != 404;
        }
        throw unexpected(head, response);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI uri) {
        return uri.getPort() >= 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** One request, as is: no redirects, no authentication beyond {@code authorization} (null: none). */
    HttpResponse<InputStream> send(Call call, URI uri, String authorization) throws RegistryException {
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

    /** Reads a whole body of at most {@code limit} bytes; {@code what} non-null: more is PROTOCOL, else returned. */
    byte[] readBody(Call call, HttpResponse<InputStream> response, int limit, String what) throws RegistryException {
        OptionalLong length = contentLength(response);
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

    static OptionalLong contentLength(HttpResponse<?> response) {
        return response.headers().firstValueAsLong("Content-Length");
    }

    /** The registry's error codes and messages of a failed answer, and its status: "HTTP 404 MANIFEST_UNKNOWN: ...". */
    static String errorDetail(HttpResponse<InputStream> response) {
        return "HTTP " + response.statusCode() + errorBody(response, new ArrayList<>()).map(b -> " " + b).orElse("");
    }

    /** Maps a response the operation did not expect to an exception; reads and closes its body. */
    RegistryException unexpected(Call call, HttpResponse<InputStream> response) {
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

    static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException ignored) {
            // nothing to do: the connection is dropped
        }
    }

    RegistryException fail(Reason reason, Call call, String detail) {
        return fail(reason, call, detail, null);
    }

    RegistryException fail(Reason reason, Call call, String detail, Throwable cause) {
        return new RegistryException(reason, call.what() + " at " + endpoint.url() + ": " + detail, cause);
    }

    /** A URI for messages: without its query, which may carry upload state or storage signatures. */
    static String redact(URI uri) {
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
    static String describe(Throwable e) {
        Set<String> parts = new LinkedHashSet<>();
        for (Throwable t = e; t != null && parts.size() < 4; t = t.getCause()) {
            parts.add(t.getMessage() == null ? t.getClass().getSimpleName()
                    : t.getClass().getSimpleName() + " " + t.getMessage());
        }
        return String.join(": ", parts);
    }
}
