package edge.registry.oci;

import com.fasterxml.jackson.databind.JsonNode;
import edge.registry.oci.RegistryException.Reason;
import edge.registry.oci.RegistryTransport.Call;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * How requests to the registry authenticate. A static token is sent as {@code Authorization: Bearer}; with a
 * username and password the registry's 401 challenge ({@code WWW-Authenticate}, see {@link AuthChallenge}) is
 * answered with Basic credentials or with a token fetched from the Bearer realm for the call's scopes and cached per
 * realm, service and scopes until shortly before it expires. What a challenge taught is remembered, so that later
 * requests authenticate up front instead of collecting a 401 each.
 *
 * <p>Thread-safe. {@code basicChallenged} and {@code bearerRealm} are volatile and only ever set (to the same kind of
 * value): a thread that reads the old value merely takes one more 401 round trip. The token cache is a concurrent
 * map; two threads that miss it together both fetch a token and the later one is kept; both tokens are valid.
 */
final class RegistryAuth {

    private static final int MAX_TOKEN_BODY = 256 * 1024;
    private static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofSeconds(60);

    private record BearerRealm(String realm, String service) {
    }

    private record CachedToken(String value, Instant refreshAt) {
    }

    private final RegistryEndpoint endpoint;
    private final RegistryTransport transport;
    /** The Basic header for the endpoint's username and password; null without them. */
    private final String basic;

    /** Set once the registry has asked for Basic credentials: later requests send them up front. */
    private volatile boolean basicChallenged;
    /** Set once the registry has sent a Bearer challenge: later requests fetch their token up front. */
    private volatile BearerRealm bearerRealm;
    private final Map<String, CachedToken> tokens = new ConcurrentHashMap<>();

    RegistryAuth(RegistryEndpoint endpoint, RegistryTransport transport) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.basic = endpoint.username().map(user -> "Basic " + Base64.getEncoder().encodeToString(
                (user + ":" + endpoint.password().orElseThrow()).getBytes(StandardCharsets.UTF_8))).orElse(null);
    }

    /**
     * Sends a request to the registry's own origin with the credentials known to be needed and, on a 401, once more
     * with the answer to its challenge. Returns any other response (403 included) for the caller to judge.
     */
    HttpResponse<InputStream> send(Call call, URI uri) throws RegistryException {
        String authorization = authorization(call);
        HttpResponse<InputStream> response = transport.send(call, uri, authorization);
        if (response.statusCode() != 401) {
            return response;
        }
        List<AuthChallenge> challenges = AuthChallenge.parse(response.headers().allValues("WWW-Authenticate"));
        String retry = answer(call, challenges, authorization, RegistryTransport.errorDetail(response));
        response = transport.send(call, uri, retry);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            String detail = RegistryTransport.errorDetail(response);
            String why;
            if (retry.equals(basic)) {
                why = "the registry rejected the credentials of user " + endpoint.username().orElse("?");
            } else if (endpoint.username().isPresent()) {
                why = "the token issued to user " + endpoint.username().get() + " does not grant "
                        + scopeText(call);
            } else {
                why = "anonymous access is not allowed (" + scopeText(call)
                        + "); configure a username and password or a token";
            }
            throw transport.fail(Reason.UNAUTHORIZED, call, detail + ": " + why);
        }
        return response;
    }

    /** Who the registry refused, for messages: " with the configured token", " to user u", " to anonymous requests". */
    String as() {
        if (endpoint.token().isPresent()) {
            return " with the configured token";
        }
        return endpoint.username().map(u -> " to user " + u).orElse(" to anonymous requests");
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
        return basicChallenged ? basic : null;
    }

    /** The Authorization header that answers a 401's challenges, or UNAUTHORIZED when there is none to give. */
    private String answer(Call call, List<AuthChallenge> challenges, String sent, String detail)
            throws RegistryException {
        if (endpoint.token().isPresent()) {
            throw transport.fail(Reason.UNAUTHORIZED, call, detail + ": the registry rejected the configured token");
        }
        Optional<AuthChallenge> bearer = challenges.stream()
                .filter(c -> c.is("bearer") && c.param("realm").isPresent()).findFirst();
        if (bearer.isPresent()) {
            BearerRealm realm = new BearerRealm(bearer.get().param("realm").get(),
                    bearer.get().param("service").orElse(null));
            bearerRealm = realm;
            return "Bearer " + token(call, realm, scopes(call, bearer.get().param("scope")), true);
        }
        Optional<AuthChallenge> basicChallenge = challenges.stream().filter(c -> c.is("basic")).findFirst();
        if (basicChallenge.isPresent()) {
            if (basic == null) {
                throw transport.fail(Reason.UNAUTHORIZED, call, detail + ": the registry asks for a username and "
                        + "password" + basicChallenge.get().param("realm").map(r -> " (Basic realm \"" + r + "\")")
                        .orElse("") + " and none are configured");
            }
            if (basic.equals(sent)) {
                throw transport.fail(Reason.UNAUTHORIZED, call, detail + ": the registry rejected the credentials "
                        + "of user " + endpoint.username().get());
            }
            basicChallenged = true;
            return basic;
        }
        String schemes = challenges.stream().map(AuthChallenge::scheme).collect(Collectors.joining(", "));
        throw transport.fail(Reason.UNAUTHORIZED, call, detail + (challenges.isEmpty()
                ? ": no WWW-Authenticate challenge to answer"
                : ": unsupported authentication scheme(s) " + schemes));
    }

    /** The scopes a call needs, plus the one the registry's challenge names if it differs. */
    private static Set<String> scopes(Call call, Optional<String> challenged) {
        Set<String> scopes = new TreeSet<>();
        if (call.repository() != null) {
            scopes.add(scopeText(call));
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

    /** The scope a call needs, "repository:a/b:pull" or "...:pull,push"; "registry access" without a repository. */
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
        Call tokenCall = tokenCall(call, realm, scopes);
        HttpResponse<InputStream> response = transport.send(tokenCall, tokenCall.uri(), basic);
        int status = response.statusCode();
        if (status == 401 || status == 403) {
            throw transport.fail(Reason.UNAUTHORIZED, tokenCall, RegistryTransport.errorDetail(response)
                    + ": the token service refused " + endpoint.username().map(u -> "user " + u)
                    .orElse("an anonymous request") + " for " + String.join(" ", scopes));
        }
        if (status != 200) {
            throw transport.unexpected(tokenCall, response);
        }
        byte[] body = transport.readBody(tokenCall, response, MAX_TOKEN_BODY, "token response");
        JsonNode json;
        try {
            json = RegistryTransport.JSON.readTree(body);
        } catch (IOException e) {
            throw transport.fail(Reason.PROTOCOL, tokenCall, "the token response is not JSON");
        }
        String token = text(json, "token").or(() -> text(json, "access_token")).orElse(null);
        if (token == null || token.isBlank()) {
            throw transport.fail(Reason.PROTOCOL, tokenCall, "the token response has no 'token' nor 'access_token'");
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

    /** The GET to the Bearer realm for the scopes; PROTOCOL unless the realm is an http(s) URL. */
    private Call tokenCall(Call call, BearerRealm realm, Set<String> scopes) throws RegistryException {
        URI realmUri;
        try {
            realmUri = URI.create(realm.realm());
        } catch (IllegalArgumentException e) {
            throw transport.fail(Reason.PROTOCOL, call, "the registry's Bearer realm '" + realm.realm()
                    + "' is not a URL");
        }
        String scheme = realmUri.getScheme() == null ? "" : realmUri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || realmUri.getHost() == null) {
            throw transport.fail(Reason.PROTOCOL, call, "the registry's Bearer realm '" + realm.realm()
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
        return new Call("GET", uri, call.what() + " (token from " + RegistryTransport.redact(realmUri) + ")", null,
                false, Map.of("Accept", "application/json"), null, false);
    }

    private static Optional<String> text(JsonNode json, String field) {
        JsonNode node = json == null ? null : json.get(field);
        return node != null && node.isTextual() ? Optional.of(node.asText()) : Optional.empty();
    }
}
