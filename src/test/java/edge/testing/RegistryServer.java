package edge.testing;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real CNCF Distribution registry (Debian's {@code docker-registry}) as a child process on a free port of
 * 127.0.0.1, with its storage in a temporary directory. The registry itself chooses the port at its first start
 * (listening on port 0, the port read from its "listening on" log line): no port is picked, closed and then bound,
 * which another process could take in between; restarts keep that port. Optionally with htpasswd (Basic) or token (Bearer)
 * authentication and TLS. {@link #stop()} and {@link #start()} keep the port and the storage; {@link #close()} also
 * deletes the directory.
 *
 * <pre>{@code
 * try (RegistryServer registry = RegistryServer.builder().start()) {
 *     URI url = registry.url();
 * }
 * }</pre>
 */
public final class RegistryServer implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final String INSTALL = "apt-get install -y docker-registry";

    /** A PEM certificate and its PKCS#8 PEM private key. */
    public record Pem(Path certificate, Path key) {
    }

    /**
     * Bearer token authentication: the registry sends clients to {@code realm} and trusts tokens signed by a key
     * whose certificate is in {@code rootCertBundle}.
     */
    public record TokenAuth(String realm, String service, String issuer, Path rootCertBundle) {
    }

    public static final class Builder {
        private Path htpasswd;
        private Pem tls;
        private TokenAuth token;

        private Builder() {
        }

        /** Basic authentication against an htpasswd file (bcrypt entries, see {@link #htpasswd}). */
        public Builder htpasswd(Path file) {
            this.htpasswd = file;
            return this;
        }

        public Builder tls(Pem certificateAndKey) {
            this.tls = certificateAndKey;
            return this;
        }

        public Builder tokenAuth(TokenAuth token) {
            this.token = token;
            return this;
        }

        /** Creates the directory and config and starts the registry; waits until it answers. */
        public RegistryServer start() {
            if (htpasswd != null && token != null) {
                throw new IllegalArgumentException("the registry takes one auth method: htpasswd or token");
            }
            RegistryServer server = new RegistryServer(this);
            try {
                server.start();
            } catch (RuntimeException | Error e) {
                server.close();
                throw e;
            }
            return server;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    private final Path dir;
    private final Path storage;
    private final Path config;
    private final Path log;
    private final Builder settings;
    /** 0 until the first start: then the port the registry chose, kept for restarts. */
    private int port;
    private final Pem tls;
    private final HttpClient probe;
    private Process process;
    private Thread reaper;

    private RegistryServer(Builder builder) {
        Path binary = binary();
        if (binary == null) {
            throw new IllegalStateException("the registry binary docker-registry is not installed: " + INSTALL);
        }
        try {
            this.dir = Files.createTempDirectory("registry-");
            this.storage = Files.createDirectories(dir.resolve("storage"));
            this.config = dir.resolve("config.yml");
            this.log = dir.resolve("registry.log");
            this.settings = builder;
            this.tls = builder.tls;
            Files.writeString(config, config(builder));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2));
        if (tls != null) {
            http.sslContext(trusting(tls.certificate()));
        }
        this.probe = http.build();
    }

    public URI url() {
        return URI.create((tls != null ? "https" : "http") + "://127.0.0.1:" + port);
    }

    public int port() {
        return port;
    }

    /** The filesystem driver's root directory: {@code docker/registry/v2/...} lies below it. */
    public Path storageRoot() {
        return storage;
    }

    public Path logFile() {
        return log;
    }

    /** Where the registry keeps a blob's bytes: {@code <root>/docker/registry/v2/blobs/sha256/<2 hex>/<hex>/data}. */
    public static Path blobData(Path storageRoot, String digest) {
        if (!digest.matches("sha256:[a-f0-9]{64}")) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        String hex = digest.substring("sha256:".length());
        return storageRoot.resolve("docker/registry/v2/blobs/sha256").resolve(hex.substring(0, 2)).resolve(hex)
                .resolve("data");
    }

    public Path blobData(String digest) {
        return blobData(storage, digest);
    }

    /** Starts the registry process (again, after {@link #stop()}: same port, same storage). */
    public synchronized void start() {
        if (process != null && process.isAlive()) {
            return;
        }
        ProcessBuilder builder = new ProcessBuilder(binary().toString(), "serve", config.toString())
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start docker-registry (" + INSTALL + "): " + e.getMessage(), e);
        }
        Process started = process;
        reaper = new Thread(started::destroyForcibly, "registry-reaper-" + dir.getFileName());
        Runtime.getRuntime().addShutdownHook(reaper);
        if (port == 0) {
            port = awaitChosenPort();
            try {
                Files.writeString(config, config(settings)); // restarts listen on the same port
            } catch (IOException e) {
                stop();
                throw new UncheckedIOException(e);
            }
        }
        awaitReady();
    }

    /** Stops the registry process and waits for it to exit; the storage stays. */
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(reaper);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway
        }
        process = null;
    }

    @Override
    public synchronized void close() {
        stop();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temp dir left behind is not worth failing a test for
        }
    }

    /** The last lines of the registry's log, for failure messages. */
    public String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static final Pattern LISTENING = Pattern.compile("listening on 127\\.0\\.0\\.1:(\\d+)");

    /** The port the registry bound, from its log line {@code listening on 127.0.0.1:<port>}. */
    private int awaitChosenPort() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                Matcher m = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            } catch (IOException e) {
                // not written yet
            }
            if (!process.isAlive()) {
                String tail = logTail();
                stop();
                throw new IllegalStateException("docker-registry exited at start:\n" + tail);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stop();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
        String tail = logTail();
        stop();
        throw new IllegalStateException("docker-registry did not log the port it listens on within " + READY_TIMEOUT
                + ":\n" + tail);
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest ping = HttpRequest.newBuilder(url().resolve("/v2/")).timeout(Duration.ofSeconds(2)).build();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited with " + process.exitValue()
                        + " at start:\n" + logTail());
            }
            try {
                int status = probe.send(ping, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200 || status == 401) {
                    return;
                }
                last = "HTTP " + status;
            } catch (IOException e) {
                last = e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the registry", e);
            }
        }
        stop();
        throw new IllegalStateException("docker-registry did not answer GET /v2/ within " + READY_TIMEOUT + " ("
                + last + "):\n" + logTail());
    }

    private String config(Builder builder) {
        StringBuilder yml = new StringBuilder();
        yml.append("version: 0.1\n")
                .append("log:\n  level: info\n  formatter: text\n")
                .append("storage:\n")
                .append("  filesystem:\n    rootdirectory: ").append(quote(storage)).append('\n')
                .append("  delete:\n    enabled: true\n")
                .append("  maintenance:\n    uploadpurging:\n      enabled: false\n")
                .append("http:\n")
                .append("  addr: 127.0.0.1:").append(port).append('\n')
                .append("  secret: ").append(UUID.randomUUID()).append('\n');
        if (builder.tls != null) {
            yml.append("  tls:\n")
                    .append("    certificate: ").append(quote(builder.tls.certificate())).append('\n')
                    .append("    key: ").append(quote(builder.tls.key())).append('\n');
        }
        yml.append("health:\n  storagedriver:\n    enabled: false\n");
        if (builder.htpasswd != null) {
            yml.append("auth:\n  htpasswd:\n    realm: edge-test\n    path: ").append(quote(builder.htpasswd))
                    .append('\n');
        }
        if (builder.token != null) {
            yml.append("auth:\n  token:\n")
                    .append("    realm: \"").append(builder.token.realm()).append("\"\n")
                    .append("    service: \"").append(builder.token.service()).append("\"\n")
                    .append("    issuer: \"").append(builder.token.issuer()).append("\"\n")
                    .append("    rootcertbundle: ").append(quote(builder.token.rootCertBundle())).append('\n');
        }
        return yml.toString();
    }

    private static String quote(Path path) {
        return "\"" + path.toAbsolutePath().toString().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    // ------------------------------------------------------------------------------------------------ fixtures

    /**
     * An htpasswd file with one bcrypt entry, made by {@code htpasswd -Bbn} (Debian's apache2-utils): the registry
     * accepts bcrypt only.
     */
    public static Path htpasswd(Path dir, String user, String password) {
        String line = run(List.of("htpasswd", "-Bbn", user, password), "apt-get install -y apache2-utils").trim();
        try {
            return Files.writeString(dir.resolve("htpasswd"), line + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A self-signed P-256 certificate for 127.0.0.1 (CN and IP subjectAltName) and its unencrypted PKCS#8 key, made
     * by openssl in {@code dir} as {@code <name>.crt} and {@code <name>.key}.
     */
    public static Pem selfSigned(Path dir, String name) {
        Path cert = dir.resolve(name + ".crt");
        Path key = dir.resolve(name + ".key");
        run(List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", key.toString(), "-out", cert.toString()), "apt-get install -y openssl");
        return new Pem(cert, key);
    }

    private static String run(List<String> command, String install) {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IllegalStateException(command.get(0) + " is not installed: " + install, e);
        }
        try (InputStream in = p.getInputStream()) {
            String out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed:\n" + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static SSLContext trusting(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("c" + i++, c);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot trust " + pem + ": " + e.getMessage(), e);
        }
    }

    private static Path binary() {
        String configured = System.getProperty("edge.registry.binary");
        if (configured != null) {
            return Path.of(configured);
        }
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "docker-registry");
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

}
