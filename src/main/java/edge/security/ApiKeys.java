package edge.security;

import edge.config.StartupRefused;
import edge.config.ApiConfig;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The API keys of the detection APIs. Checked the same way for REST and gRPC: constant-time comparison against
 * every key (no early exit that would tell an attacker how much of a key was right); keys are never logged.
 */
@ApplicationScoped
public class ApiKeys {

    private static final Logger LOG = Logger.getLogger(ApiKeys.class);
    private static final String BEARER = "Bearer ";

    private final List<byte[]> keys = new ArrayList<>();
    private final int apiKeys;
    private final boolean adminKey;
    private final boolean required;
    private final String host;
    private final boolean allowAnonymous;

    public ApiKeys(ApiConfig config, @ConfigProperty(name = "edge.admin.key") Optional<String> adminKey,
                   @ConfigProperty(name = "quarkus.http.host") String host) {
        config.keys().orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty())
                .forEach(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        this.apiKeys = keys.size();
        this.required = apiKeys > 0;
        // The operator's admin key also opens the detection APIs (one key for the operator's tools).
        adminKey.map(String::trim).filter(k -> !k.isEmpty()).ifPresent(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        this.adminKey = keys.size() > apiKeys;
        this.host = host;
        this.allowAnonymous = config.allowAnonymous();
    }

    void onStart(@Observes StartupEvent event) {
        if (required) {
            LOG.infof("Detection APIs need one of the %d key(s) of edge.api.keys%s (X-API-Key or Authorization: "
                    + "Bearer)", apiKeys, adminKey ? ", or the admin key" : "");
        } else if (loopback(host)) {
            LOG.infof("No edge.api.keys: the detection APIs are open, which is safe only because the service "
                    + "listens on %s", host);
        } else if (allowAnonymous) {
            LOG.warnf("No edge.api.keys and edge.api.allow-anonymous=true: anyone who reaches %s can use the "
                    + "detection APIs", host);
        } else {
            throw new StartupRefused("the service listens on " + host + " without API keys. Three ways out: set "
                    + "API keys (env EDGE_API_KEYS=key1,key2), or listen on loopback only (env "
                    + "QUARKUS_HTTP_HOST=127.0.0.1), or accept open access deliberately (env "
                    + "EDGE_API_ALLOW_ANONYMOUS=true)");
        }
    }

    /** How many keys {@code edge.api.keys} holds (the admin key not counted); never the keys themselves. */
    public int apiKeyCount() {
        return apiKeys;
    }

    /** Whether a request must carry a key. */
    public boolean required() {
        return required;
    }

    /**
     * @param apiKeyHeader  the {@code X-API-Key} value, or null
     * @param authorization the {@code Authorization} value, or null
     */
    public boolean accepts(String apiKeyHeader, String authorization) {
        if (!required) {
            return true;
        }
        String presented = apiKeyHeader;
        if (presented == null && authorization != null
                && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            presented = authorization.substring(BEARER.length());
        }
        if (presented == null) {
            return false;
        }
        byte[] candidate = presented.trim().getBytes(StandardCharsets.UTF_8);
        boolean match = false;
        for (byte[] key : keys) {
            match |= MessageDigest.isEqual(key, candidate);
        }
        return match;
    }

    static boolean loopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
