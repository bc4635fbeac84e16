package edge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edge.registry.sign.Keys;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every pod of every k3s overlay, started the way the kubelet would start it, reports the settings the fleet design
 * promises: the stable DaemonSet follows {@code stable}, the canary one {@code canary} (its EDGE_REGISTRY_TAG beats
 * the site profile), the model store and the signature key are the mounted paths, and the API and admin keys from
 * the Secrets are the ones the service asks for.
 * <p>
 * How a pod is reproduced: {@code kubectl kustomize} renders the overlay; the container's {@code env} is taken as
 * rendered ({@code value} as is, {@code secretKeyRef} replaced by a test value per Secret key, {@code envFrom}
 * Secrets by one camera password); every volume is a folder under target/fleet/POD mounted at the container's
 * {@code mountPath} inside a private mount namespace (/etc and /var/lib are overlays there, so nothing of the host
 * changes): the ConfigMap's data as files, the signing-key Secret as a real public key, the hostPath or claim of the
 * model store as an empty folder. The packaged service ({@code target/quarkus-app}) then runs with exactly that
 * environment, in its own network namespace, listening on 0.0.0.0:8080 as the pod does; the test asks it through
 * {@code nsenter}. Left out: the seed model's hostPath at /models (a new node's folder is empty, so the pod sees no
 * seed either way; the host has no /models to mount on) and the /tmp emptyDir (the host's /tmp serves).
 * Needs root, unshare and nsenter (CI has them); elsewhere it is skipped and says why.
 */
class FleetOverlaysIT {

    private static final Path OVERLAYS = Path.of("k3s/overlays");
    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API_KEY = "fleet-api-key-1";
    private static final String ADMIN_KEY = "fleet-admin-key";

    @TestFactory
    Stream<DynamicTest> everyPodOfEveryOverlayFollowsItsChannelWithItsSecretsAndMounts() throws Exception {
        K3sManifests.requireKubectl("the overlays' pods were not started");
        assumeTrue(namespacesAvailable(), "needs root with unshare and nsenter (private mount and network "
                + "namespaces): the overlays' pods were not started here");
        assertTrue(Files.isRegularFile(JAR), JAR + " is missing: run the integration tests with mvn verify");
        List<DynamicTest> tests = new ArrayList<>();
        for (Path overlay : K3sManifests.overlays(OVERLAYS)) {
            List<JsonNode> objects = K3sManifests.render(overlay);
            List<JsonNode> workloads = K3sManifests.workloads(objects);
            assertFalse(workloads.isEmpty(), overlay + " renders no workload");
            for (JsonNode workload : workloads) {
                String name = overlay.getFileName() + "/" + workload.path("metadata").path("name").asText();
                tests.add(DynamicTest.dynamicTest(name, () -> startAndCheck(name, workload, objects)));
            }
        }
        return tests.stream();
    }

    private static void startAndCheck(String name, JsonNode workload, List<JsonNode> objects) throws Exception {
        JsonNode pod = workload.path("spec").path("template").path("spec");
        JsonNode container = pod.path("containers").get(0);
        Path root = Path.of("target/fleet", name.replace('/', '-')).toAbsolutePath();
        deleteTree(root);
        Files.createDirectories(root);

        Map<String, Path> mounts = new LinkedHashMap<>();
        KeyPair signing = Keys.generate();
        Path store = null;
        Properties profile = null;
        for (JsonNode mount : container.path("volumeMounts")) {
            String volumeName = mount.path("name").asText();
            String mountPath = mount.path("mountPath").asText();
            JsonNode volume = volume(pod, volumeName);
            Path dir = root.resolve("volumes").resolve(volumeName);
            if (volume.has("configMap")) {
                JsonNode configMap = K3sManifests.named(objects, "ConfigMap", volume.path("configMap").path("name").asText());
                Files.createDirectories(dir);
                for (var entry : configMap.path("data").properties()) {
                    // The one edit an operator must make (k3s/README.md): REGISTRY_HOST is their registry. Here
                    // 127.0.0.1, where nothing listens in the pod's network: the pull fails, as without uplink.
                    Files.writeString(dir.resolve(entry.getKey()),
                            entry.getValue().asText().replace("REGISTRY_HOST", "127.0.0.1"));
                }
                profile = new Properties();
                try (var reader = Files.newBufferedReader(dir.resolve("site.properties"))) {
                    profile.load(reader);
                }
            } else if (volume.has("secret") && volume.path("secret").path("secretName").asText().equals("edge-signing-key")) {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("signing.pub.pem"), Keys.toPem(signing.getPublic()));
            } else if (mountPath.equals("/var/lib/edge/models")) {
                Files.createDirectories(dir);
                store = dir;
            } else {
                continue; // /models (seed) and /tmp: see the class comment
            }
            mounts.put(mountPath, dir);
        }
        assertTrue(profile != null, name + ": no ConfigMap mounted");
        assertTrue(store != null, name + ": no model store mounted at /var/lib/edge/models");
        Map<String, String> env = podEnvironment(container, cameraWithUser(profile));

        Path log = root.resolve("service.log");
        Process process = start(root, env, mounts, log);
        try {
            waitForPort(process, log, Duration.ofSeconds(60));
            String expectedTag = name.contains("canary") ? "canary" : "stable";

            // The effective registry settings, as the operator reads them with the admin key.
            HttpAnswer models = get(process, "/models", "Authorization: Bearer " + ADMIN_KEY);
            assertEquals(200, models.status(), name + ": GET /models with the admin key: " + models.body());
            JsonNode following = JSON.readTree(models.body()).path("following");
            String why = name + " (log: " + log + "): " + following;
            assertEquals(expectedTag, following.path("tag").asText(), why);
            assertEquals(profile.getProperty("edge.registry.url").replace("REGISTRY_HOST", "127.0.0.1"),
                    following.path("registry").asText(), why);
            assertEquals(profile.getProperty("edge.registry.repository"), following.path("repository").asText(), why);
            assertEquals("/var/lib/edge/models", following.path("store").asText(), why);
            assertEquals("/etc/edge/keys/signing.pub.pem", following.path("publicKey").asText(), why);
            assertTrue(following.path("signaturesRequired").asBoolean(), why);
            assertTrue(following.path("credentials").asBoolean(), why + ": registry credentials from the Secret");

            // The same in readiness, without any key (probes and operators' checks).
            HttpAnswer ready = get(process, "/q/health/ready", null);
            assertTrue(ready.body().contains(":" + expectedTag + "\""), name + ": readiness " + ready.body());

            // The store is the mounted folder, the key the mounted key.
            assertTrue(Files.isDirectory(store.resolve("tmp")) || Files.exists(store.resolve("state.json"))
                    || Files.isDirectory(store.resolve("versions")), name + ": nothing written to the mounted store");
            String log0 = Files.readString(log);
            assertTrue(log0.contains(Keys.fingerprint(signing.getPublic()).substring(0, 16)), name + ": the mounted key is not the one "
                    + "the service checks signatures with (log " + log + ")");

            // The API keys are the Secret's (both of its comma-separated keys): none or a wrong one -> 401.
            assertEquals(401, get(process, "/cameras", null).status(), name);
            assertEquals(401, get(process, "/cameras", "X-API-Key: wrong").status(), name);
            assertEquals(200, get(process, "/cameras", "X-API-Key: " + API_KEY).status(), name);
            assertEquals(200, get(process, "/cameras", "X-API-Key: fleet-api-key-2").status(), name);
            assertEquals(200, get(process, "/cameras", "Authorization: Bearer " + ADMIN_KEY).status(), name);
            assertEquals(401, get(process, "/models", "X-API-Key: " + API_KEY).status(),
                    name + ": an API key must not open the admin API");
            assertFalse(log0.contains(API_KEY) || log0.contains(ADMIN_KEY) || log0.contains("fleet-registry-password")
                            || log0.contains("fleet-camera-password"),
                    name + ": a secret was logged");
        } finally {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The container's environment as the kubelet builds it, secrets replaced by test values. */
    static Map<String, String> podEnvironment(JsonNode container, String camera) {
        Map<String, String> env = new LinkedHashMap<>();
        for (JsonNode from : container.path("envFrom")) {
            if (from.path("secretRef").path("name").asText().equals("edge-camera-credentials")) {
                env.put("EDGE_CAMERAS_" + camera.toUpperCase().replace('-', '_') + "_PASSWORD",
                        "fleet-camera-password");
            }
        }
        for (JsonNode var : container.path("env")) {
            String name = var.path("name").asText();
            if (var.has("value")) {
                env.put(name, var.path("value").asText());
                continue;
            }
            JsonNode secret = var.path("valueFrom").path("secretKeyRef");
            if (secret.isMissingNode()) {
                fail(name + " comes from neither a value nor a Secret: " + var);
            }
            String ref = secret.path("name").asText() + "/" + secret.path("key").asText();
            env.put(name, switch (ref) {
                case "edge-api-keys/keys" -> API_KEY + ",fleet-api-key-2";
                case "edge-admin/key" -> ADMIN_KEY;
                case "edge-registry-credentials/username" -> "fleet-registry-user";
                case "edge-registry-credentials/password" -> "fleet-registry-password";
                default -> throw new AssertionError("a Secret the test does not know: " + ref + " (" + name + ")");
            });
        }
        return env;
    }

    /** A camera of the profile that logs in with a user name: the camera-credentials Secret holds its password. */
    private static String cameraWithUser(Properties profile) {
        return profile.stringPropertyNames().stream().filter(k -> k.matches("edge\\.cameras\\.[^.]+\\.username"))
                .sorted().map(k -> k.split("\\.")[2]).findFirst()
                .orElseThrow(() -> new AssertionError("the profile has no camera with a username"));
    }

    private static JsonNode volume(JsonNode pod, String name) {
        for (JsonNode volume : pod.path("volumes")) {
            if (volume.path("name").asText().equals(name)) {
                return volume;
            }
        }
        throw new AssertionError("volumeMount " + name + " has no volume");
    }

    /**
     * unshare gives the process its own mount and network namespaces (it execs: the process's pid is the service's);
     * the script mounts the pod's volumes, brings up loopback and execs java with the pod's environment only.
     */
    private static Process start(Path root, Map<String, String> env, Map<String, Path> mounts, Path log)
            throws IOException {
        StringBuilder script = new StringBuilder("set -eu\nip link set lo up\n");
        for (String dir : new String[] {"/etc", "/var/lib"}) {
            String upper = root.resolve("overlay" + dir.replace('/', '-')).toString();
            script.append("mkdir -p ").append(upper).append("/u ").append(upper).append("/w\n")
                    .append("mount -t overlay overlay -o lowerdir=").append(dir).append(",upperdir=").append(upper)
                    .append("/u,workdir=").append(upper).append("/w ").append(dir).append('\n');
        }
        mounts.forEach((mountPath, dir) -> script.append("mkdir -p ").append(mountPath).append(" && mount --bind ")
                .append(dir).append(' ').append(mountPath).append('\n'));
        script.append("exec ").append(Path.of(System.getProperty("java.home"), "bin", "java"))
                .append(" -jar ").append(JAR).append('\n');
        ProcessBuilder builder = new ProcessBuilder("unshare", "--mount", "--net", "--propagation", "private",
                "bash", "-c", script.toString());
        builder.environment().clear();
        builder.environment().put("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        builder.directory(root.toFile());
        return builder.start();
    }

    private static void waitForPort(Process process, Path log, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                fail("the pod's service exited with " + process.exitValue() + ":\n" + tail(log));
            }
            if (get(process, "/q/health/started", null).status() == 200) {
                return;
            }
            Thread.sleep(250);
        }
        fail("the pod's service did not open port 8080 within " + timeout + ":\n" + tail(log));
    }

    record HttpAnswer(int status, String body) {
    }

    /** curl inside the pod's network namespace; status 0 when nothing answers. */
    private static HttpAnswer get(Process process, String path, String header) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("nsenter", "--net=/proc/" + process.pid() + "/ns/net",
                "curl", "-s", "-m", "5", "-w", "\n%{http_code}"));
        if (header != null) {
            command.addAll(List.of("-H", header));
        }
        command.add("http://127.0.0.1:8080" + path);
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        curl.waitFor(10, TimeUnit.SECONDS);
        int newline = out.lastIndexOf('\n');
        String code = out.substring(newline + 1).trim();
        return new HttpAnswer(code.matches("\\d+") ? Integer.parseInt(code) : 0, newline < 0 ? "" : out.substring(0, newline));
    }

    private static boolean namespacesAvailable() {
        try {
            Process p = new ProcessBuilder("unshare", "--mount", "--net", "true").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0
                    && new ProcessBuilder("nsenter", "--version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
