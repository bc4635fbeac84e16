package edge.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A minimal Docker token service (the "Bearer realm" of a registry configured with {@code auth.token}) for tests:
 * answers {@code GET /token?service=..&scope=..} with an ES256 JWT signed by a self-signed key whose certificate goes
 * in the {@code x5c} header; the registry trusts it through {@code rootcertbundle}. One user; that user gets every
 * action asked for, anonymous requests get a token granting nothing (as public token services do for private
 * repositories), wrong passwords get 401.
 */
public final class TokenServer implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    public static final String SERVICE = "edge-test-registry";
    public static final String ISSUER = "edge-test-token-issuer";

    private final HttpServer server;
    private final PrivateKey key;
    private final String x5c;
    private final Path certificate;
    private final String user;
    private final String password;
    private final long expiresIn;
    private final List<String> requests = new CopyOnWriteArrayList<>();

    /**
     * @param signing   a P-256 certificate and key (see {@link RegistryServer#selfSigned})
     * @param expiresIn the {@code expires_in} to announce, seconds
     */
    public TokenServer(RegistryServer.Pem signing, String user, String password, long expiresIn) {
        this.user = user;
        this.password = password;
        this.expiresIn = expiresIn;
        this.certificate = signing.certificate();
        try {
            String pem = Files.readString(signing.key(), StandardCharsets.US_ASCII);
            if (!pem.contains("BEGIN PRIVATE KEY")) {
                throw new IllegalArgumentException("expected a PKCS#8 PEM key in " + signing.key());
            }
            byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
            this.key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
            X509Certificate cert;
            try (InputStream in = Files.newInputStream(signing.certificate())) {
                cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
            this.x5c = Base64.getEncoder().encodeToString(cert.getEncoded());
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        server.createContext("/token", this::handle);
        server.start();
    }

    public URI realm() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    /** What the registry needs to trust this service's tokens. */
    public RegistryServer.TokenAuth registryConfig() {
        return new RegistryServer.TokenAuth(realm().toString(), SERVICE, ISSUER, certificate);
    }

    /** The query strings of the token requests so far, in order, each with "user:" or "anonymous:" in front. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            respond(exchange);
        } catch (RuntimeException e) {
            send(exchange, 500, "{\"errors\":[{\"code\":\"INTERNAL\",\"message\":\"" + e.getClass().getSimpleName()
                    + "\"}]}");
        } finally {
            exchange.close();
        }
    }

    private void respond(HttpExchange exchange) throws IOException {
        String query = exchange.getRequestURI().getRawQuery();
        String authorization = exchange.getRequestHeaders().getFirst("Authorization");
        String who = null;
        if (authorization != null) {
            String expected = "Basic " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(authorization)) {
                requests.add("rejected:" + query);
                send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"bad credentials\"}]}");
                return;
            }
            who = user;
        }
        requests.add((who == null ? "anonymous:" : "user:") + query);
        String service = null;
        List<String> scopes = new ArrayList<>();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (name.equals("service")) {
                service = value;
            } else if (name.equals("scope")) {
                scopes.add(value);
            }
        }
        if (!SERVICE.equals(service)) {
            send(exchange, 400, "{\"errors\":[{\"code\":\"INVALID\",\"message\":\"unknown service\"}]}");
            return;
        }
        ObjectNode response = JSON.createObjectNode();
        response.put("token", jwt(who, who == null ? List.of() : scopes));
        response.put("expires_in", expiresIn);
        response.put("issued_at", Instant.now().toString());
        send(exchange, 200, JSON.writeValueAsString(response));
    }

    private String jwt(String subject, List<String> scopes) {
        ObjectNode header = JSON.createObjectNode();
        header.put("typ", "JWT");
        header.put("alg", "ES256");
        header.putArray("x5c").add(x5c);
        long now = Instant.now().getEpochSecond();
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", subject == null ? "" : subject);
        claims.put("aud", SERVICE);
        claims.put("exp", now + expiresIn);
        claims.put("nbf", now - 10);
        claims.put("iat", now);
        claims.put("jti", UUID.randomUUID().toString());
        ArrayNode access = claims.putArray("access");
        for (String scope : scopes) { // repository:<name>:<actions>
            int first = scope.indexOf(':');
            int last = scope.lastIndexOf(':');
            if (first < 0 || last <= first) {
                continue;
            }
            ObjectNode entry = access.addObject();
            entry.put("type", scope.substring(0, first));
            entry.put("name", scope.substring(first + 1, last));
            ArrayNode actions = entry.putArray("actions");
            for (String action : scope.substring(last + 1).split(",")) {
                actions.add(action);
            }
        }
        try {
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            String input = b64.encodeToString(JSON.writeValueAsBytes(header)) + "."
                    + b64.encodeToString(JSON.writeValueAsBytes(claims));
            // JWS wants the raw r||s form, not DER.
            Signature signer = Signature.getInstance("SHA256withECDSAinP1363Format");
            signer.initSign(key);
            signer.update(input.getBytes(StandardCharsets.US_ASCII));
            return input + "." + b64.encodeToString(signer.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
