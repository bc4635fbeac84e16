package edge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import edge.config.ConfigKeys;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders every overlay in k3s/overlays with {@code kubectl kustomize} (without kubectl: fails under CI=true, is
 * skipped saying so elsewhere)
 * and checks the rendered objects against the application itself: the probe paths answer on this service (a Quarkus
 * test), the container port is the HTTP port the application listens on (gRPC shares it, so the Service has one port),
 * every key the ConfigMap sets and every EDGE_* variable is a key the service reads (edge-config/KEYS.md, the same
 * source), and each workload is non-root, read-only, with its model store writable, its resources set and a rolling
 * update that keeps most of the fleet up. Every rendered object and pod template carries the recommended
 * app.kubernetes.io labels, while selectors stay small and stable. The two Dockerfiles (no container engine here to
 * build them) run as the uid the manifests run as and carry the OCI image labels.
 */
@QuarkusTest
class K3sManifestsTest {

    private static final Path OVERLAYS = Path.of("k3s/overlays");
    private static final Set<String> OTHER_ENV = Set.of("QUARKUS_CONFIG_LOCATIONS", "MALLOC_ARENA_MAX", "JAVA_TOOL_OPTIONS");
    /** Kubernetes' recommended labels (kubernetes.io/docs: "Recommended Labels"). */
    private static final List<String> RECOMMENDED_LABELS = List.of("name", "instance", "version", "component",
            "part-of", "managed-by").stream().map(label -> "app.kubernetes.io/" + label).toList();
    /** What a workload may select on: labels that never change for the life of the DaemonSet or Deployment. */
    private static final Set<String> SELECTOR_LABELS = Set.of("app.kubernetes.io/name", "edge.example.com/model-channel");
    private static final List<Path> DOCKERFILES = List.of(Path.of("src/main/docker/Dockerfile.jvm"),
            Path.of("src/main/docker/Dockerfile.native"));
    private static final List<Path> WORKLOAD_SOURCES = List.of(Path.of("k3s/base/workload/daemonset.yaml"),
            Path.of("k3s/components/deployment/deployment.yaml"));
    /** The image, its tag and the recommended labels: the component every overlay lists last. */
    private static final Path RELEASE = Path.of("k3s/components/release/kustomization.yaml");
    private static final List<String> OCI_LABELS = List.of("title", "description", "version", "licenses", "vendor")
            .stream().map(label -> "org.opencontainers.image." + label).toList();

    private static Properties application;

    @BeforeAll
    static void readApplicationProperties() throws IOException {
        application = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            application.load(reader);
        }
    }

    @Test
    void everyOverlayRendersAndFitsTheApplication() throws IOException {
        K3sManifests.requireKubectl("the k3s overlays were not rendered or checked");
        List<Path> overlays;
        try (Stream<Path> dirs = Files.list(OVERLAYS)) {
            overlays = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertFalse(overlays.isEmpty(), "no overlays in " + OVERLAYS);
        assertAll(overlays.stream().map(overlay -> () -> check(overlay, K3sManifests.render(overlay))));
    }

    private static void check(Path overlay, List<JsonNode> objects) {
        String where = overlay.getFileName() + ": ";
        List<JsonNode> workloads = objects.stream()
                .filter(o -> Set.of("DaemonSet", "Deployment").contains(o.path("kind").asText())).toList();
        assertFalse(workloads.isEmpty(), where + "no DaemonSet or Deployment");
        Map<String, JsonNode> configMaps = new HashMap<>();
        objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap"))
                .forEach(o -> configMaps.put(o.path("metadata").path("name").asText(), o));
        for (JsonNode object : objects) {
            if (!object.path("kind").asText().equals("Namespace")) {
                assertEquals("edge-vision", object.path("metadata").path("namespace").asText(),
                        where + object.path("kind").asText() + " " + object.path("metadata").path("name").asText());
            }
        }

        labels(overlay, objects, workloads);

        int appPort = Integer.parseInt(application.getProperty("quarkus.http.port"));
        assertEquals("false", application.getProperty("quarkus.grpc.server.use-separate-server"),
                "gRPC must share the HTTP port for a one-port Service");
        JsonNode service = objects.stream().filter(o -> o.path("kind").asText().equals("Service")).findFirst()
                .orElseThrow(() -> new AssertionError(where + "no Service"));
        assertEquals(1, service.path("spec").path("ports").size(), where + "one Service port for REST and gRPC");
        assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText());

        for (JsonNode workload : workloads) {
            String name = where + workload.path("kind").asText() + " " + workload.path("metadata").path("name").asText();
            JsonNode pod = workload.path("spec").path("template");
            JsonNode spec = pod.path("spec");

            // Rolling updates take at most one box (or a share of the fleet) down at a time.
            JsonNode rolling = workload.path("kind").asText().equals("DaemonSet")
                    ? workload.path("spec").path("updateStrategy").path("rollingUpdate")
                    : workload.path("spec").path("strategy").path("rollingUpdate");
            assertFalse(rolling.path("maxUnavailable").isMissingNode(), name + " has no maxUnavailable");

            // Prometheus finds the metrics where the application serves them.
            JsonNode annotations = pod.path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), name);
            assertEquals(String.valueOf(appPort), annotations.path("prometheus.io/port").asText(), name);
            assertEquals(application.getProperty("quarkus.micrometer.export.prometheus.path"),
                    annotations.path("prometheus.io/path").asText(), name);
            assertEquals(200, given().get(annotations.path("prometheus.io/path").asText()).statusCode());

            assertTrue(spec.path("securityContext").path("runAsNonRoot").asBoolean(), name + " pod runAsNonRoot");
            JsonNode container = single(spec.path("containers"), "edge-detector", name);
            JsonNode security = container.path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), name + " readOnlyRootFilesystem");
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), name + " allowPrivilegeEscalation");
            assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText(), name + " drops ALL");
            assertTrue(!security.has("runAsNonRoot") || security.path("runAsNonRoot").asBoolean(), name);
            for (JsonNode init : spec.path("initContainers")) {
                JsonNode initSecurity = init.path("securityContext");
                assertTrue(initSecurity.path("readOnlyRootFilesystem").asBoolean(), name + " init read-only");
                assertEquals("ALL", initSecurity.path("capabilities").path("drop").path(0).asText(), name);
                assertTrue(initSecurity.path("capabilities").path("add").size() <= 1, name + " init adds one capability");
                resources(init, name + " init " + init.path("name").asText());
            }
            resources(container, name);

            // The port the probes and the Service use is the port the application listens on.
            JsonNode port = single(container.path("ports"), "http", name);
            assertEquals(appPort, port.path("containerPort").asInt(), name + " container port");
            for (String probe : new String[] {"startupProbe", "readinessProbe", "livenessProbe"}) {
                JsonNode get = container.path(probe).path("httpGet");
                assertEquals("http", get.path("port").asText(), name + " " + probe + " port");
                String path = get.path("path").asText();
                assertTrue(path.startsWith("/q/health/"), name + " " + probe + " " + path);
                // The path exists in the application and answers UP (this test's service has a model loaded).
                given().get(path).then().statusCode(200);
                assertTrue(container.path(probe).path("periodSeconds").asInt() > 0, name + " " + probe);
            }

            // Volumes: the ConfigMap holds the profile the service loads; the model store is writable.
            Map<String, JsonNode> volumes = new HashMap<>();
            spec.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            Map<String, JsonNode> mounts = new HashMap<>();
            container.path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m));
            Map<String, String> env = new HashMap<>();
            for (JsonNode variable : container.path("env")) {
                String variableName = variable.path("name").asText();
                assertTrue(OTHER_ENV.contains(variableName) || ConfigKeys.knowsEnv(variableName),
                        name + " sets " + variableName + ", which sets no key the service reads");
                env.put(variableName, variable.path("value").asText());
            }
            String locations = env.get("QUARKUS_CONFIG_LOCATIONS");
            assertNotNull(locations, name + " loads no site profile");
            Properties profile = null;
            for (JsonNode volume : volumes.values()) {
                if (volume.has("configMap")) {
                    JsonNode configMap = configMaps.get(volume.path("configMap").path("name").asText());
                    assertNotNull(configMap, name + " mounts a ConfigMap the overlay does not define: " + volume);
                    String mountPath = mounts.get(volume.path("name").asText()).path("mountPath").asText();
                    var files = configMap.path("data").fields();
                    while (files.hasNext()) {
                        var file = files.next();
                        if (locations.equals(mountPath + "/" + file.getKey())) {
                            profile = properties(file.getValue().asText());
                        }
                    }
                }
            }
            assertNotNull(profile, name + ": QUARKUS_CONFIG_LOCATIONS=" + locations + " is no mounted ConfigMap file");
            for (String key : profile.stringPropertyNames()) {
                assertTrue(ConfigKeys.knows(key), name + ": the ConfigMap sets " + key
                        + ", which the service does not read (edge-config/KEYS.md)");
            }
            String store = profile.getProperty("edge.model.store");
            assertNotNull(store, name + ": the profile has no model store");
            JsonNode storeMount = mounts.values().stream().filter(m -> m.path("mountPath").asText().equals(store))
                    .findFirst().orElseThrow(() -> new AssertionError(name + ": nothing is mounted at " + store));
            assertFalse(storeMount.path("readOnly").asBoolean(false), name + ": the model store must be writable");
            assertTrue(mounts.values().stream().anyMatch(m -> m.path("mountPath").asText().equals("/tmp")),
                    name + ": a read-only root needs a writable /tmp");
            for (JsonNode mount : mounts.values()) {
                assertTrue(volumes.containsKey(mount.path("name").asText()), name + " mounts an unknown volume");
            }
        }
    }

    /**
     * The six recommended labels on every rendered object (workloads, Service, ConfigMap, Namespace, claim) and on every
     * pod template, the same values throughout the overlay, version = the image tag; selectors only on labels that
     * never change (a DaemonSet's selector is immutable: a version in it would make the next release's apply fail).
     */
    private static void labels(Path overlay, List<JsonNode> objects, List<JsonNode> workloads) {
        String where = overlay.getFileName() + ": ";
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode object : objects) {
            String name = where + object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
            recommendedLabels(object.path("metadata").path("labels"), expected, name);
        }
        assertEquals("edge-detector", expected.get("app.kubernetes.io/name"), where + "app.kubernetes.io/name");
        assertEquals("edge-vision", expected.get("app.kubernetes.io/part-of"), where + "app.kubernetes.io/part-of");
        assertEquals("kustomize", expected.get("app.kubernetes.io/managed-by"), where + "app.kubernetes.io/managed-by");
        for (JsonNode workload : workloads) {
            String name = where + workload.path("kind").asText() + " " + workload.path("metadata").path("name").asText();
            JsonNode pod = workload.path("spec").path("template");
            recommendedLabels(pod.path("metadata").path("labels"), expected, name + " pod template");
            String image = single(pod.path("spec").path("containers"), "edge-detector", name).path("image").asText();
            assertEquals(image.substring(image.lastIndexOf(':') + 1), expected.get("app.kubernetes.io/version"),
                    name + ": app.kubernetes.io/version is the image tag (" + image + ")");
            for (JsonNode init : pod.path("spec").path("initContainers")) {
                assertEquals(image, init.path("image").asText(), name + " init " + init.path("name").asText());
            }
            JsonNode selector = workload.path("spec").path("selector");
            assertEquals(Set.of("matchLabels"), fieldNames(selector), name + " selects by matchLabels only");
            Set<String> selected = fieldNames(selector.path("matchLabels"));
            assertTrue(selected.contains("app.kubernetes.io/name") && SELECTOR_LABELS.containsAll(selected),
                    name + " selects on " + selected + ": only " + SELECTOR_LABELS + " (selectors are immutable)");
            selector.path("matchLabels").fields().forEachRemaining(label -> assertEquals(label.getValue().asText(),
                    pod.path("metadata").path("labels").path(label.getKey()).asText(), name + " template matches"));
        }
    }

    private static void recommendedLabels(JsonNode labels, Map<String, String> expected, String name) {
        for (String label : RECOMMENDED_LABELS) {
            String value = labels.path(label).asText();
            assertFalse(value.isEmpty(), name + " has no label " + label + ": " + labels);
            assertEquals(expected.computeIfAbsent(label, key -> value), value, name + " " + label);
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * The JVM and the native image run as the same uid and gid, the ones the manifests run the pods as (a model store
     * written by one image stays writable for the other, the volumes' owner and fsGroup fit both), and both carry the
     * OCI image labels, their version the image tag the manifests deploy. Read from the files: there is no container
     * engine here to build them.
     */
    @Test
    void bothImagesRunAsTheManifestsUserAndCarryTheOciLabels() throws IOException {
        JsonNode release = new YAMLMapper().readTree(Files.readString(RELEASE));
        String tag = null;
        for (JsonNode image : release.path("images")) {
            if (image.path("name").asText().equals("edge-detector")) {
                tag = image.path("newTag").asText();
            }
        }
        assertNotNull(tag, RELEASE + " sets no edge-detector image tag");
        for (Path source : WORKLOAD_SOURCES) {
            JsonNode security = new YAMLMapper().readTree(Files.readString(source))
                    .path("spec").path("template").path("spec").path("securityContext");
            assertTrue(security.path("runAsNonRoot").asBoolean(), source + " runAsNonRoot");
            for (Path file : DOCKERFILES) {
                Dockerfile dockerfile = Dockerfile.read(file);
                assertEquals(security.path("runAsUser").asText(), dockerfile.uid(),
                        file + ": USER uid, " + source + ": runAsUser");
                assertEquals(security.path("runAsGroup").asText(), dockerfile.gid(),
                        file + ": USER gid, " + source + ": runAsGroup");
            }
        }
        for (Path file : DOCKERFILES) {
            Dockerfile dockerfile = Dockerfile.read(file);
            assertFalse(dockerfile.uid().equals("0") || dockerfile.uid().equals("root"), file + " runs as root");
            for (String label : OCI_LABELS) {
                String value = dockerfile.labels().getOrDefault(label, "");
                assertFalse(value.isBlank() || value.contains("${"), file + ": label " + label + " is " + value);
            }
            assertEquals("edge-detector", dockerfile.labels().get("org.opencontainers.image.title"), file + " title");
            assertEquals(tag, dockerfile.labels().get("org.opencontainers.image.version"),
                    file + ": org.opencontainers.image.version is the tag in " + RELEASE);
        }
    }

    /** The parts of a Dockerfile the test reads: the last USER of the final stage and the LABELs, ARG defaults filled in. */
    private record Dockerfile(String uid, String gid, Map<String, String> labels) {

        private static final Pattern LABEL = Pattern.compile("([A-Za-z0-9._/-]+)=(\"((?:[^\"\\\\]|\\\\.)*)\"|\\S+)");
        private static final Pattern ARG_REFERENCE = Pattern.compile("\\$\\{([A-Za-z0-9_]+)}|\\$([A-Za-z0-9_]+)");

        static Dockerfile read(Path file) throws IOException {
            // Instructions: comments dropped, continuation lines joined.
            String text = Files.readString(file).replaceAll("(?m)^\\s*#.*\\n", "").replaceAll("\\\\\\n", " ");
            Map<String, String> args = new HashMap<>();
            Map<String, String> labels = new HashMap<>();
            String user = null;
            for (String line : text.split("\n")) {
                String[] instruction = line.strip().split("\\s+", 2);
                if (instruction.length < 2) {
                    continue;
                }
                switch (instruction[0].toUpperCase()) {
                    case "FROM" -> {
                        labels.clear();
                        user = null;
                    }
                    case "ARG" -> {
                        String[] arg = instruction[1].split("=", 2);
                        args.put(arg[0], arg.length > 1 ? arg[1].replaceAll("^\"|\"$", "") : "");
                    }
                    case "LABEL" -> {
                        Matcher label = LABEL.matcher(instruction[1]);
                        while (label.find()) {
                            String value = label.group(3) != null ? label.group(3) : label.group(2);
                            labels.put(label.group(1), substitute(value, args));
                        }
                    }
                    case "USER" -> user = substitute(instruction[1].strip(), args);
                    default -> { }
                }
            }
            assertNotNull(user, file + " declares no USER: the image would run as root");
            String[] ids = user.split(":", 2);
            return new Dockerfile(ids[0], ids.length > 1 ? ids[1] : "", labels);
        }

        private static String substitute(String value, Map<String, String> args) {
            Matcher reference = ARG_REFERENCE.matcher(value);
            StringBuilder out = new StringBuilder();
            while (reference.find()) {
                String name = reference.group(1) != null ? reference.group(1) : reference.group(2);
                reference.appendReplacement(out, Matcher.quoteReplacement(args.getOrDefault(name, reference.group())));
            }
            return reference.appendTail(out).toString();
        }
    }

    private static void resources(JsonNode container, String name) {
        JsonNode resources = container.path("resources");
        for (String kind : new String[] {"requests", "limits"}) {
            assertFalse(resources.path(kind).path("memory").asText().isEmpty(), name + " memory " + kind);
        }
        assertFalse(resources.path("requests").path("cpu").asText().isEmpty(), name + " cpu request");
        assertTrue(mebibytes(resources.path("limits").path("memory").asText())
                >= mebibytes(resources.path("requests").path("memory").asText()), name + " limit >= request");
    }

    private static long mebibytes(String quantity) {
        if (quantity.endsWith("Gi")) {
            return Long.parseLong(quantity.substring(0, quantity.length() - 2)) * 1024;
        }
        assertTrue(quantity.endsWith("Mi"), "memory in Mi or Gi: " + quantity);
        return Long.parseLong(quantity.substring(0, quantity.length() - 2));
    }

    private static JsonNode single(JsonNode list, String name, String where) {
        for (JsonNode item : list) {
            if (item.path("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError(where + ": no " + name + " in " + list);
    }

    private static Properties properties(String text) {
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return properties;
    }
}
