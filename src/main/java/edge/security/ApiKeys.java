package edge.security;

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
    private final boolean required;
    private final String host;
    private final boolean allowAnonymous;

    public ApiKeys(ApiConfig config, @ConfigProperty(name = "edge.admin.key") Optional<String> adminKey,
                   @ConfigProperty(name = "quarkus.http.host") String host) {
        config.keys().orElse(List.of()).stream().map(String::trim).filter(k -> !k.isEmpty())
                .forEach(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        this.required = !keys.isEmpty();
        // The operator's admin key also opens the detection APIs (one key for the operator's tools).
        adminKey.map(String::trim).filter(k -> !k.isEmpty()).ifPresent(k -> keys.add(k.getBytes(StandardCharsets.UTF_8)));
        this.host = host;
        this.allowAnonymous = config.allowAnonymous();
    }

    void onStart(@Observes StartupEvent event) {
        if (required) {
            LOG.infof("Detection APIs need one of %d API key(s) (X-API-Key or Authorization: Bearer)",
                    keys.size());
        } else if (loopback(host)) {
            LOG.infof("No edge.api.keys: the detection APIs are open, which is safe only because the service "
                    + "listens on %s", host);
        } else if (allowAnonymous) {
            LOG.warnf("No edge.api.keys and edge.api.allow-anonymous=true: anyone who reaches %s can use the "
                    + "detection APIs", host);
        } else {
            throw new IllegalStateException("The service listens on " + host + " without API keys: set "
                    + "edge.api.keys (env EDGE_API_KEYS), or bind to 127.0.0.1 (quarkus.http.host), or accept open "
                    + "access deliberately with edge.api.allow-anonymous=true");
        }
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
