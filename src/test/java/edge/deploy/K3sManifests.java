package edge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The k3s overlays as {@code kubectl kustomize} renders them, for the tests that check or run them. */
public final class K3sManifests {

    private K3sManifests() {
    }

    /**
     * The tests that need kubectl call this first. Under CI (environment CI=true, as .ci/run sets it) a missing kubectl
     * fails the test: a skipped check there would pass the build with the overlays never rendered. Elsewhere the test
     * is skipped and says what was not checked.
     */
    public static void requireKubectl(String notChecked) {
        requireKubectl(kubectl(), System.getenv(), notChecked);
    }

    static void requireKubectl(boolean present, Map<String, String> env, String notChecked) {
        failWithoutKubectlUnderCi(present, env, notChecked);
        assumeTrue(present, "kubectl is not on the PATH here: " + notChecked);
    }

    /** For a test that goes on without kubectl (reporting what it left out): fails only under CI. */
    public static void failWithoutKubectlUnderCi(String notChecked) {
        failWithoutKubectlUnderCi(kubectl(), System.getenv(), notChecked);
    }

    static void failWithoutKubectlUnderCi(boolean present, Map<String, String> env, String notChecked) {
        if (!present && underCi(env)) {
            fail("kubectl is not on the PATH under CI (CI=true): " + notChecked + ". .ci/run cannot apt-get install "
                    + "kubectl on Debian 12 (no such package there): put kubectl on the CI image's PATH, from "
                    + "Kubernetes' own apt repository (pkgs.k8s.io) or its release binary");
        }
    }

    /** Whether the tests run under CI: the environment variable CI is {@code true}, as .ci/run and most CI set it. */
    static boolean underCi(Map<String, String> env) {
        return "true".equalsIgnoreCase(env.getOrDefault("CI", "").trim());
    }

    public static boolean kubectl() {
        return kubectl("kubectl");
    }

    static boolean kubectl(String executable) {
        try {
            Process process = new ProcessBuilder(executable, "version", "--client").redirectErrorStream(true).start();
            process.getInputStream().readAllBytes();
            return process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    static List<Path> overlays(Path root) throws IOException {
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).sorted().toList();
        }
    }

    static List<JsonNode> render(Path overlay) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("kubectl", "kustomize", overlay.toString()).start();
        byte[] out = process.getInputStream().readAllBytes();
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "kubectl kustomize " + overlay + " did not finish");
        assertEquals(0, process.exitValue(), "kubectl kustomize " + overlay + " failed: " + err);
        List<JsonNode> objects = new ArrayList<>();
        try (MappingIterator<JsonNode> docs = new YAMLMapper().readerFor(JsonNode.class).readValues(out)) {
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isNull() && !doc.isEmpty()) {
                    objects.add(doc);
                }
            }
        }
        return objects;
    }

    static List<JsonNode> workloads(List<JsonNode> objects) {
        return objects.stream().filter(o -> Set.of("DaemonSet", "Deployment").contains(o.path("kind").asText())).toList();
    }

    static JsonNode named(List<JsonNode> objects, String kind, String name) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)
                        && o.path("metadata").path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered overlay"));
    }
}
