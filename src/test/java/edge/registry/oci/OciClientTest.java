package edge.registry.oci;

import edge.digest.Digest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edge.registry.oci.RegistryException.Reason;
import edge.testing.RegistryServer;
import edge.testing.TokenServer;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OciClient against a real registry (Debian's docker-registry, CNCF Distribution 2.8) on 127.0.0.1. */
class OciClientTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ARTIFACT_TYPE = "application/vnd.edge.model.v1";
    private static final String CONFIG_TYPE = "application/vnd.edge.model.config.v1+json";
    private static final String LAYER_TYPE = "application/vnd.edge.model.onnx";
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private static RegistryServer registry;
    private static OciClient client;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryServer.builder().start();
        client = new OciClient(RegistryEndpoint.of(registry.url()).withTimeout(TIMEOUT));
    }

    @AfterAll
    static void stopRegistry() {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void pushesAnArtifactAndReadsItBack(@TempDir Path dir) throws Exception {
        String repo = "edge/models/yolo";
        byte[] config = "{\"classes\":[\"person\",\"bus\"],\"input\":640}".getBytes(StandardCharsets.UTF_8);
        Path model = dir.resolve("model.onnx");
        Files.write(model, random(3 * 1024 * 1024 + 12345, 1));

        Descriptor configDescriptor = client.pushBlob(repo, config, CONFIG_TYPE);
        Descriptor layer = client.pushBlob(repo, model, LAYER_TYPE);
        assertEquals(Digest.of(config).toString(), configDescriptor.digest());
        assertEquals(config.length, configDescriptor.size());
        assertEquals(Digest.of(Files.readAllBytes(model)).toString(), layer.digest());
        assertEquals(Files.size(model), layer.size());
        assertTrue(client.blobExists(repo, layer.digest()));

        byte[] manifest = manifest(configDescriptor, layer, Map.of("org.opencontainers.image.title", "model.onnx"));
        String digest = client.pushManifest(repo, "v1", manifest, OciReader.OCI_MANIFEST);
        assertEquals(Digest.of(manifest).toString(), digest);

        assertEquals(digest, client.resolve(repo, "v1"));
        assertEquals(digest, client.resolve(repo, digest));
        byte[] fetched = client.manifest(repo, digest);
        assertArrayEquals(manifest, fetched, "registry 2.8 keeps the manifest byte for byte");
        JsonNode parsed = JSON.readTree(fetched);
        assertEquals(ARTIFACT_TYPE, parsed.path("artifactType").asText());
        assertEquals(CONFIG_TYPE, parsed.path("config").path("mediaType").asText());

        assertArrayEquals(config, client.blob(repo, configDescriptor, 1024));

        Path target = dir.resolve("downloads/sub/model.onnx");
        List<long[]> progress = new ArrayList<>();
        client.downloadBlob(repo, layer, target, (bytes, total) -> progress.add(new long[] {bytes, total}));
        assertArrayEquals(Files.readAllBytes(model), Files.readAllBytes(target));
        assertTrue(progress.size() >= 3 && progress.size() <= 5, "about one update per MiB: " + progress.size());
        for (int i = 0; i < progress.size(); i++) {
            long previous = i == 0 ? 0 : progress.get(i - 1)[0];
            assertEquals(layer.size(), progress.get(i)[1]);
            assertTrue(progress.get(i)[0] > previous, "progress grows");
            if (i < progress.size() - 1) {
                assertTrue(progress.get(i)[0] - previous >= 1024 * 1024, "at most every MiB");
            }
        }
        assertArrayEquals(new long[] {layer.size(), layer.size()}, progress.get(progress.size() - 1));
        assertEquals(List.of(target), files(target.getParent()), "no temporary file left");

        // Replacing an existing file, and a tag moved to a new manifest.
        client.downloadBlob(repo, configDescriptor, target, OciReader.Progress.NONE);
        assertArrayEquals(config, Files.readAllBytes(target));
        byte[] second = manifest(configDescriptor, layer, Map.of("org.opencontainers.image.title", "v2.onnx"));
        String secondDigest = client.pushManifest(repo, "v1", second, OciReader.OCI_MANIFEST);
        assertEquals(secondDigest, client.resolve(repo, "v1"));
        assertFalse(secondDigest.equals(digest));
        assertEquals(digest, client.pushManifest(repo, digest, manifest, OciReader.OCI_MANIFEST), "by digest");
    }

    @Test
    void skipsTheUploadOfABlobTheRegistryHas() throws Exception {
        String repo = "edge/skip";
        byte[] content = random(4096, 2);
        Descriptor first = client.pushBlob(repo, content, LAYER_TYPE);
        Descriptor second = client.pushBlob(repo, content, "application/octet-stream");
        assertEquals(first.digest(), second.digest());
        assertEquals("application/octet-stream", second.mediaType());

        String head = "\"HEAD /v2/" + repo + "/blobs/" + first.digest();
        String post = "\"POST /v2/" + repo + "/blobs/uploads/";
        long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
        while (count(registry.logFile(), head) < 2 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(100);
        assertEquals(2, count(registry.logFile(), head), "each push asks first");
        assertEquals(1, count(registry.logFile(), post), "only the first push uploads");
    }

    @Test
    void aBlobCorruptedInStorageIsADigestMismatch(@TempDir Path dir) throws Exception {
        String repo = "edge/corrupt";
        byte[] content = random(200_000, 3);
        Descriptor descriptor = client.pushBlob(repo, content, LAYER_TYPE);
        Path data = registry.blobData(descriptor.digest());
        assertArrayEquals(content, Files.readAllBytes(data), "the registry's blob layout");
        byte[] corrupted = content.clone();
        corrupted[100_000] ^= 0x55;
        Files.write(data, corrupted);

        Path target = dir.resolve("model.onnx");
        RegistryException e = assertFails(Reason.DIGEST_MISMATCH,
                () -> client.downloadBlob(repo, descriptor, target, OciReader.Progress.NONE));
        assertTrue(e.getMessage().contains(repo) && e.getMessage().contains(descriptor.digest()), e.getMessage());
        assertFalse(Files.exists(target));
        assertEquals(List.of(), files(dir), "no partial file left");

        Files.writeString(target, "an older version");
        assertFails(Reason.DIGEST_MISMATCH,
                () -> client.downloadBlob(repo, descriptor, target, OciReader.Progress.NONE));
        assertFalse(Files.exists(target), "a mismatch removes the target");

        assertFails(Reason.DIGEST_MISMATCH, () -> client.blob(repo, descriptor, 1 << 20));

        // Shorter on disk than the descriptor says.
        Files.write(data, java.util.Arrays.copyOf(content, 1000));
        assertFails(Reason.DIGEST_MISMATCH,
                () -> client.downloadBlob(repo, descriptor, target, OciReader.Progress.NONE));
        assertFalse(Files.exists(target));

        // A manifest is a blob too: one changed character in an annotation.
        Descriptor config = client.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8), CONFIG_TYPE);
        byte[] manifest = manifest(config, config, Map.of("note", "aaaaaaaa"));
        String digest = client.pushManifest(repo, "m", manifest, OciReader.OCI_MANIFEST);
        Path manifestData = registry.blobData(digest);
        String text = Files.readString(manifestData);
        Files.writeString(manifestData, text.replace("aaaaaaaa", "aaaaaaab"));
        assertFails(Reason.DIGEST_MISMATCH, () -> client.manifest(repo, digest));
    }

    @Test
    void unknownThingsAreNotFound(@TempDir Path dir) throws Exception {
        client.pushBlob("edge/known", "x".getBytes(StandardCharsets.UTF_8), LAYER_TYPE);
        RegistryException tag = assertFails(Reason.NOT_FOUND, () -> client.resolve("edge/known", "nope"));
        assertTrue(tag.getMessage().contains("edge/known:nope") && tag.getMessage().contains("404")
                && tag.getMessage().contains(registry.url().toString()), tag.getMessage());

        String missing = Digest.of("missing".getBytes(StandardCharsets.UTF_8)).toString();
        RegistryException manifest = assertFails(Reason.NOT_FOUND, () -> client.manifest("edge/unknown", missing));
        assertTrue(manifest.getMessage().contains("MANIFEST_UNKNOWN") || manifest.getMessage().contains("NAME_UNKNOWN"),
                "the registry's error code: " + manifest.getMessage());
        Descriptor absent = new Descriptor(LAYER_TYPE, missing, 7);
        RegistryException blob = assertFails(Reason.NOT_FOUND, () -> client.blob("edge/known", absent, 100));
        assertTrue(blob.getMessage().contains("BLOB_UNKNOWN"), blob.getMessage());
        assertFails(Reason.NOT_FOUND,
                () -> client.downloadBlob("edge/known", absent, dir.resolve("x"), OciReader.Progress.NONE));
        assertFalse(Files.exists(dir.resolve("x")));
        assertFalse(client.blobExists("edge/known", missing));
    }

    @Test
    void limitsAndValidation() throws Exception {
        byte[] content = random(5000, 4);
        Descriptor descriptor = client.pushBlob("edge/limits", content, LAYER_TYPE);
        RegistryException tooBig = assertFails(Reason.PROTOCOL, () -> client.blob("edge/limits", descriptor, 4999));
        assertTrue(tooBig.getMessage().contains("4999"), tooBig.getMessage());

        // A descriptor that understates the size: refused rather than read beyond it.
        Descriptor understated = new Descriptor(LAYER_TYPE, descriptor.digest(), 100);
        assertFails(Reason.DIGEST_MISMATCH, () -> client.blob("edge/limits", understated, 1000));

        IllegalArgumentException sha512 = assertThrows(IllegalArgumentException.class,
                () -> client.resolve("edge/limits", "sha512:" + "ab".repeat(64)));
        assertTrue(sha512.getMessage().contains("only sha256"), sha512.getMessage());
        assertThrows(IllegalArgumentException.class, () -> client.resolve("Edge/Upper", "v1"));
        assertThrows(IllegalArgumentException.class, () -> client.resolve("edge/limits", "-bad"));
        assertThrows(IllegalArgumentException.class, () -> client.resolve("edge//double", "v1"));
        assertThrows(IllegalArgumentException.class,
                () -> client.pushManifest("edge/limits", Digest.of(new byte[1]).toString(), new byte[2], "x/y"));
    }

    @Test
    void aStoppedRegistryIsUnreachableAndComesBack() throws Exception {
        try (RegistryServer own = RegistryServer.builder().start()) {
            OciClient c = new OciClient(RegistryEndpoint.of(own.url()).withTimeout(TIMEOUT));
            Descriptor config = c.pushBlob("edge/restart", "{}".getBytes(StandardCharsets.UTF_8), CONFIG_TYPE);
            String digest = c.pushManifest("edge/restart", "v1", manifest(config, config, Map.of()),
                    OciReader.OCI_MANIFEST);

            own.stop();
            RegistryException e = assertFails(Reason.UNREACHABLE, () -> c.resolve("edge/restart", "v1"));
            assertTrue(e.getMessage().contains(own.url().toString()), e.getMessage());
            assertFails(Reason.UNREACHABLE, () -> c.pushBlob("edge/restart", new byte[10], LAYER_TYPE));

            own.start();
            assertEquals(digest, c.resolve("edge/restart", "v1"), "same port, same storage");
        }
    }

    @Test
    void basicAuthWithHtpasswd(@TempDir Path dir) throws Exception {
        Path htpasswd = RegistryServer.htpasswd(dir, "publisher", "s3cret pass");
        try (RegistryServer secured = RegistryServer.builder().htpasswd(htpasswd).start()) {
            RegistryEndpoint anonymous = RegistryEndpoint.of(secured.url()).withTimeout(TIMEOUT);
            OciClient noCredentials = new OciClient(anonymous);
            RegistryException e = assertFails(Reason.UNAUTHORIZED, () -> noCredentials.resolve("edge/private", "v1"));
            assertTrue(e.getMessage().contains("username and password") && e.getMessage().contains("401"),
                    e.getMessage());
            assertFails(Reason.UNAUTHORIZED, noCredentials::ping);

            OciClient wrong = new OciClient(anonymous.withCredentials("publisher", "wrong"));
            RegistryException rejected = assertFails(Reason.UNAUTHORIZED,
                    () -> wrong.pushBlob("edge/private", new byte[3], LAYER_TYPE));
            assertTrue(rejected.getMessage().contains("rejected the credentials of user publisher"),
                    rejected.getMessage());

            OciClient right = new OciClient(anonymous.withCredentials("publisher", "s3cret pass"));
            right.ping();
            Descriptor config = right.pushBlob("edge/private", "{}".getBytes(StandardCharsets.UTF_8), CONFIG_TYPE);
            Descriptor layer = right.pushBlob("edge/private", random(10_000, 5), LAYER_TYPE);
            String digest = right.pushManifest("edge/private", "v1", manifest(config, layer, Map.of()),
                    OciReader.OCI_MANIFEST);
            assertEquals(digest, right.resolve("edge/private", "v1"));
            Path target = dir.resolve("layer");
            right.downloadBlob("edge/private", layer, target, OciReader.Progress.NONE);
            assertEquals(layer.digest(), Digest.of(target).toString());
        }
    }

    @Test
    void tlsWithAPrivateCertificate(@TempDir Path dir) throws Exception {
        RegistryServer.Pem pem = RegistryServer.selfSigned(dir, "registry");
        RegistryServer.Pem other = RegistryServer.selfSigned(dir, "other");
        try (RegistryServer tls = RegistryServer.builder().tls(pem).start()) {
            assertEquals("https", tls.url().getScheme());
            RegistryEndpoint endpoint = RegistryEndpoint.of(tls.url()).withTimeout(TIMEOUT);

            OciClient trusting = new OciClient(endpoint.withCaFile(pem.certificate()));
            Descriptor config = trusting.pushBlob("edge/tls", "{}".getBytes(StandardCharsets.UTF_8), CONFIG_TYPE);
            String digest = trusting.pushManifest("edge/tls", "v1", manifest(config, config, Map.of()),
                    OciReader.OCI_MANIFEST);
            assertEquals(digest, trusting.resolve("edge/tls", "v1"));

            // A CA file with several certificates, the right one second.
            Path bundle = dir.resolve("bundle.pem");
            Files.writeString(bundle, Files.readString(other.certificate()) + Files.readString(pem.certificate()));
            assertEquals(digest, new OciClient(endpoint.withCaFile(bundle)).resolve("edge/tls", "v1"));

            RegistryException untrusted = assertFails(Reason.UNREACHABLE,
                    () -> new OciClient(endpoint).resolve("edge/tls", "v1"));
            assertTrue(untrusted.getMessage().contains("TLS") && untrusted.getMessage().contains("caFile"),
                    untrusted.getMessage());
            assertFails(Reason.UNREACHABLE,
                    () -> new OciClient(endpoint.withCaFile(other.certificate())).resolve("edge/tls", "v1"));
        }
        IllegalArgumentException notPem = assertThrows(IllegalArgumentException.class,
                () -> new OciClient(RegistryEndpoint.of("https://127.0.0.1:1").withCaFile(pem.key())));
        assertTrue(notPem.getMessage().contains(pem.key().toString()), notPem.getMessage());
    }

    @Test
    void bearerTokensFromATokenService(@TempDir Path dir) throws Exception {
        RegistryServer.Pem signing = RegistryServer.selfSigned(dir, "token-signing");
        try (TokenServer tokens = new TokenServer(signing, "ci", "pushpass", 300);
             RegistryServer secured = RegistryServer.builder().tokenAuth(tokens.registryConfig()).start()) {
            RegistryEndpoint anonymous = RegistryEndpoint.of(secured.url()).withTimeout(TIMEOUT);
            String repo = "edge/bearer";

            OciClient publisher = new OciClient(anonymous.withCredentials("ci", "pushpass"));
            Descriptor config = publisher.pushBlob(repo, "{}".getBytes(StandardCharsets.UTF_8), CONFIG_TYPE);
            Descriptor layer = publisher.pushBlob(repo, random(50_000, 6), LAYER_TYPE);
            String digest = publisher.pushManifest(repo, "v1", manifest(config, layer, Map.of()),
                    OciReader.OCI_MANIFEST);
            List<String> pushRequests = tokens.requests();
            assertEquals(1, pushRequests.size(), "one token for the whole push: " + pushRequests);
            assertTrue(pushRequests.get(0).startsWith("user:")
                    && pushRequests.get(0).contains("scope=repository%3Aedge%2Fbearer%3Apull%2Cpush")
                    && pushRequests.get(0).contains("service=" + TokenServer.SERVICE), pushRequests.get(0));

            assertEquals(digest, publisher.resolve(repo, "v1"));
            publisher.downloadBlob(repo, layer, dir.resolve("layer"), OciReader.Progress.NONE);
            assertEquals(layer.digest(), Digest.of(dir.resolve("layer")).toString());
            assertEquals(2, tokens.requests().size(), "one more token, for pull: " + tokens.requests());

            RegistryException denied = assertFails(Reason.UNAUTHORIZED,
                    () -> new OciClient(anonymous).resolve(repo, "v1"));
            assertTrue(denied.getMessage().contains("anonymous"), denied.getMessage());
            assertTrue(tokens.requests().get(tokens.requests().size() - 1).startsWith("anonymous:"));

            RegistryException wrong = assertFails(Reason.UNAUTHORIZED,
                    () -> new OciClient(anonymous.withCredentials("ci", "nope")).resolve(repo, "v1"));
            assertTrue(wrong.getMessage().contains("token service refused user ci"), wrong.getMessage());

            // A static token, obtained beforehand, sent as is.
            String token = fetchToken(tokens.realm(), "repository:" + repo + ":pull");
            OciClient withToken = new OciClient(anonymous.withToken(token));
            assertEquals(digest, withToken.resolve(repo, "v1"));
            RegistryException pullOnly = assertFails(Reason.UNAUTHORIZED,
                    () -> withToken.pushBlob(repo, new byte[5], LAYER_TYPE));
            assertTrue(pullOnly.getMessage().contains("configured token"), pullOnly.getMessage());
        }
    }

    @Test
    void aRegistryThatDoesNotAnswerTimesOut() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            OciClient c = new OciClient(RegistryEndpoint.of("http://127.0.0.1:" + silent.getLocalPort())
                    .withTimeout(Duration.ofMillis(300)));
            long start = System.nanoTime();
            RegistryException e = assertFails(Reason.UNREACHABLE, () -> c.resolve("edge/silent", "v1"));
            assertTrue(e.getMessage().contains("within 300 ms"), e.getMessage());
            assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
        }
    }

    /** Registries send blob GETs to their storage; the registry's credentials must not follow, nor signed URLs leak. */
    @Test
    void followsBlobRedirectsWithoutSendingCredentialsAlong(@TempDir Path dir) throws Exception {
        byte[] content = random(300_000, 7);
        String digest = Digest.of(content).toString();
        String expired = Digest.of(new byte[] {1}).toString();
        List<String> registryAuth = new CopyOnWriteArrayList<>();
        List<String> storageAuth = new CopyOnWriteArrayList<>();
        HttpServer storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        storage.createContext("/bucket/", exchange -> {
            storageAuth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            boolean fresh = exchange.getRequestURI().getPath().endsWith("/blob");
            exchange.sendResponseHeaders(fresh ? 200 : 403, fresh ? content.length : -1);
            try (OutputStream out = exchange.getResponseBody()) {
                if (fresh) {
                    out.write(content);
                }
            }
        });
        HttpServer front = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        front.createContext("/v2/", exchange -> {
            registryAuth.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
            String path = exchange.getRequestURI().getPath();
            String target = path.endsWith(digest) ? "/bucket/blob" : path.endsWith(expired) ? "/bucket/old" : null;
            if (target != null) {
                exchange.getResponseHeaders().set("Location", "http://127.0.0.1:" + storage.getAddress().getPort()
                        + target + "?X-Signature=s3cr3t");
            }
            exchange.sendResponseHeaders(target != null ? 307 : 404, -1);
            exchange.close();
        });
        storage.start();
        front.start();
        try {
            OciClient c = new OciClient(RegistryEndpoint.of("http://127.0.0.1:" + front.getAddress().getPort())
                    .withToken("registry-token").withTimeout(TIMEOUT));
            Descriptor descriptor = new Descriptor(LAYER_TYPE, digest, content.length);
            c.downloadBlob("edge/redirect", descriptor, dir.resolve("blob"), OciReader.Progress.NONE);
            assertArrayEquals(content, Files.readAllBytes(dir.resolve("blob")));
            assertArrayEquals(content, c.blob("edge/redirect", descriptor, content.length));
            assertEquals(List.of("Bearer registry-token", "Bearer registry-token"), registryAuth);
            assertEquals(List.of("null", "null"), storageAuth, "no credentials to the storage");

            RegistryException e = assertFails(Reason.UNAUTHORIZED,
                    () -> c.blob("edge/redirect", new Descriptor(LAYER_TYPE, expired, 1), 10));
            assertTrue(e.getMessage().contains("403") && !e.getMessage().contains("s3cr3t"), e.getMessage());
        } finally {
            front.stop(0);
            storage.stop(0);
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static byte[] manifest(Descriptor config, Descriptor layer, Map<String, String> layerAnnotations)
            throws IOException {
        ObjectNode m = JSON.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OciReader.OCI_MANIFEST);
        m.put("artifactType", ARTIFACT_TYPE);
        m.set("config", descriptor(config, Map.of()));
        m.putArray("layers").add(descriptor(layer, layerAnnotations));
        m.putObject("annotations").put("org.opencontainers.image.created", "2026-01-01T00:00:00Z");
        return JSON.writeValueAsBytes(m);
    }

    private static ObjectNode descriptor(Descriptor d, Map<String, String> annotations) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest());
        node.put("size", d.size());
        if (!annotations.isEmpty()) {
            ObjectNode a = node.putObject("annotations");
            annotations.forEach(a::put);
        }
        return node;
    }

    private static String fetchToken(URI realm, String scope) throws Exception {
        String basic = java.util.Base64.getEncoder().encodeToString("ci:pushpass".getBytes(StandardCharsets.UTF_8));
        HttpRequest request = HttpRequest.newBuilder(URI.create(realm + "?service=" + TokenServer.SERVICE
                        + "&scope=" + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8)))
                .header("Authorization", "Basic " + basic).build();
        String body = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).body();
        return JSON.readTree(body).path("token").asText();
    }

    private static RegistryException assertFails(Reason reason, Executable call) {
        RegistryException e = assertThrows(RegistryException.class, call);
        assertEquals(reason, e.reason(), e.getMessage());
        return e;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.sorted().toList();
        }
    }

    private static long count(Path log, String needle) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(l -> l.contains(needle)).count();
        }
    }
}
