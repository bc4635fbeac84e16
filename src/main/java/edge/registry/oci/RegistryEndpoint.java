package edge.registry.oci;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a registry is and how to authenticate to it.
 *
 * @param url      {@code http://127.0.0.1:5000} or {@code https://host[:port]}: scheme, host and port only (a lone
 *                 trailing {@code /} is dropped)
 * @param username with {@code password}: Basic authentication, or the credentials sent to a Bearer token service
 * @param token    a static bearer token, sent as is; excludes username and password
 * @param caFile   PEM certificates (one or many) to trust instead of the JDK's default trust store; https only
 * @param timeout  the connect timeout and the time allowed for each answer (for streamed blob downloads, until the
 *                 response headers)
 */
public record RegistryEndpoint(URI url, Optional<String> username, Optional<String> password,
        Optional<String> token, Optional<Path> caFile, Duration timeout) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public RegistryEndpoint {
        url = normalise(url);
        username = username == null ? Optional.empty() : username;
        password = password == null ? Optional.empty() : password;
        token = token == null ? Optional.empty() : token;
        caFile = caFile == null ? Optional.empty() : caFile;
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("registry timeout must be positive, got " + timeout);
        }
        if (username.isPresent() != password.isPresent()) {
            throw new IllegalArgumentException("registry username and password go together: set both or neither");
        }
        if (username.isPresent() && (username.get().isBlank() || username.get().contains(":"))) {
            throw new IllegalArgumentException("registry username must be non-blank and contain no ':'");
        }
        if (token.isPresent() && token.get().isBlank()) {
            throw new IllegalArgumentException("registry token must not be blank");
        }
        if (token.isPresent() && username.isPresent()) {
            throw new IllegalArgumentException("set either a registry token or a username and password, not both");
        }
        if (caFile.isPresent() && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("caFile is set but the registry URL " + url + " is not https");
        }
    }

    /** Anonymous access with the default timeout. */
    public static RegistryEndpoint of(URI url) {
        return new RegistryEndpoint(url, Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                DEFAULT_TIMEOUT);
    }

    public static RegistryEndpoint of(String url) {
        return of(URI.create(url));
    }

    public RegistryEndpoint withCredentials(String username, String password) {
        return new RegistryEndpoint(url, Optional.of(username), Optional.of(password), Optional.empty(), caFile,
                timeout);
    }

    public RegistryEndpoint withToken(String token) {
        return new RegistryEndpoint(url, Optional.empty(), Optional.empty(), Optional.of(token), caFile, timeout);
    }

    public RegistryEndpoint withCaFile(Path caFile) {
        return new RegistryEndpoint(url, username, password, token, Optional.of(caFile), timeout);
    }

    public RegistryEndpoint withTimeout(Duration timeout) {
        return new RegistryEndpoint(url, username, password, token, caFile, timeout);
    }

    /** Never shows the password or the token. */
    @Override
    public String toString() {
        String auth = token.isPresent() ? "token" : username.map(u -> "user " + u).orElse("anonymous");
        return "RegistryEndpoint[" + url + ", " + auth + caFile.map(f -> ", ca " + f).orElse("") + ", timeout "
                + timeout + "]";
    }

    private static URI normalise(URI url) {
        Objects.requireNonNull(url, "registry url");
        String scheme = url.getScheme() == null ? null : url.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("registry url must be http:// or https://, got " + url);
        }
        if (url.getHost() == null || url.getRawUserInfo() != null) {
            throw new IllegalArgumentException("registry url must be scheme://host[:port] without user info, got "
                    + url);
        }
        String path = url.getRawPath();
        if ((path != null && !path.isEmpty() && !"/".equals(path)) || url.getRawQuery() != null
                || url.getRawFragment() != null) {
            throw new IllegalArgumentException("registry url must have no path, query or fragment, got " + url);
        }
        try {
            return new URI(scheme, null, url.getHost(), url.getPort(), null, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("invalid registry url " + url + ": " + e.getMessage(), e);
        }
    }
}
