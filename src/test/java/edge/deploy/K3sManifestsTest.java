package edge.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import edge.config.ConfigKeys;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

import java.io.IOException;
import java.io.StringReader;
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

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Renders every overlay in k3s/overlays once with {@code kubectl kustomize} (without kubectl: fails under CI=true, is
 * skipped saying so elsewhere), then checks one rule per test
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
    /** Every overlay, rendered once for all the rules below. */
    private static List<Overlay> overlays;

    /** One rendered overlay. */
    private record Overlay(String name, List<JsonNode> objects) {
        List<Workload> workloads() {
            return K3sManifests.workloads(objects).stream().map(w -> new Workload(this, w)).toList();
        }

        JsonNode configMap(String configMapName) {
            return objects.stream().filter(o -> o.path("kind").asText().equals("ConfigMap")
                    && o.path("metadata").path("name").asText().equals(configMapName)).findFirst().orElse(null);
        }
    }

    /** A DaemonSet or Deployment of an overlay, with the parts of its pod the rules read. */
    private record Workload(Overlay overlay, JsonNode object) {
        String name() {
            return overlay.name() + ": " + object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
        }

        JsonNode pod() {
            return object.path("spec").path("template");
        }

        JsonNode spec() {
            return pod().path("spec");
        }

        JsonNode container() {
            return single(spec().path("containers"), "edge-detector", name());
        }

        Map<String, JsonNode> volumes() {
            Map<String, JsonNode> volumes = new HashMap<>();
            spec().path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
            return volumes;
        }

        Map<String, JsonNode> mounts() {
            Map<String, JsonNode> mounts = new HashMap<>();
            container().path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m));
            return mounts;
        }

        Map<String, String> env() {
            Map<String, String> env = new HashMap<>();
            container().path("env").forEach(v -> env.put(v.path("name").asText(), v.path("value").asText()));
            return env;
        }

        /** The site profile the pod loads: the mounted ConfigMap file QUARKUS_CONFIG_LOCATIONS names. */
        Properties profile() {
            String locations = env().get("QUARKUS_CONFIG_LOCATIONS");
            assertNotNull(locations, name() + " loads no site profile");
            Map<String, JsonNode> mounts = mounts();
            for (JsonNode volume : volumes().values()) {
                if (volume.has("configMap")) {
                    JsonNode configMap = overlay.configMap(volume.path("configMap").path("name").asText());
                    assertNotNull(configMap, name() + " mounts a ConfigMap the overlay does not define: " + volume);
                    String mountPath = mounts.get(volume.path("name").asText()).path("mountPath").asText();
                    var files = configMap.path("data").fields();
                    while (files.hasNext()) {
                        var file = files.next();
                        if (locations.equals(mountPath + "/" + file.getKey())) {
                            return properties(file.getValue().asText());
                        }
                    }
                }
            }
            throw new AssertionError(name() + ": QUARKUS_CONFIG_LOCATIONS=" + locations + " is no mounted ConfigMap file");
        }
    }

    @BeforeAll
    static void readApplicationAndRenderOverlays() throws IOException, InterruptedException {
        application = new Properties();
        try (var reader = Files.newBufferedReader(Path.of("src/main/resources/application.properties"))) {
            application.load(reader);
        }
        K3sManifests.requireKubectl("the k3s overlays were not rendered or checked");
        List<Overlay> rendered = new ArrayList<>();
        for (Path overlay : K3sManifests.overlays(OVERLAYS)) {
            rendered.add(new Overlay(overlay.getFileName().toString(), K3sManifests.render(overlay)));
        }
        assertFalse(rendered.isEmpty(), "no overlays in " + OVERLAYS);
        overlays = rendered;
    }

    /** Runs a rule on every workload of every overlay and reports every one that breaks it. */
    private static void everyWorkload(ThrowingConsumer<Workload> rule) {
        List<Workload> workloads = overlays.stream().flatMap(o -> o.workloads().stream()).toList();
        assertAll(overlays.stream().map(o -> () -> assertFalse(o.workloads().isEmpty(),
                o.name() + ": no DaemonSet or Deployment")));
        assertAll(workloads.stream().map(w -> () -> rule.accept(w)));
    }

    @Test
    void everyObjectIsInTheNamespace() {
        assertAll(overlays.stream().flatMap(o -> o.objects().stream()
                .filter(object -> !object.path("kind").asText().equals("Namespace"))
                .map(object -> () -> assertEquals("edge-vision", object.path("metadata").path("namespace").asText(),
                        o.name() + ": " + object.path("kind").asText() + " "
                                + object.path("metadata").path("name").asText()))));
    }

    @Test
    void everyObjectCarriesTheRecommendedLabelsAndSelectorsStayStable() {
        assertAll(overlays.stream().map(o -> () -> labels(o)));
    }

    /** gRPC shares the HTTP port, so the Service has one port and it is the container's http port. */
    @Test
    void oneServicePortForRestAndGrpc() {
        assertEquals("false", application.getProperty("quarkus.grpc.server.use-separate-server"),
                "gRPC must share the HTTP port for a one-port Service");
        assertAll(overlays.stream().map(o -> () -> {
            JsonNode service = o.objects().stream().filter(x -> x.path("kind").asText().equals("Service")).findFirst()
                    .orElseThrow(() -> new AssertionError(o.name() + ": no Service"));
            assertEquals(1, service.path("spec").path("ports").size(), o.name() + ": one Service port");
            assertEquals("http", service.path("spec").path("ports").get(0).path("targetPort").asText(), o.name());
        }));
    }

    /** Rolling updates take at most one box (or a share of the fleet) down at a time. */
    @Test
    void rollingUpdatesKeepMostOfTheFleetUp() {
        everyWorkload(w -> {
            JsonNode rolling = w.object().path("kind").asText().equals("DaemonSet")
                    ? w.object().path("spec").path("updateStrategy").path("rollingUpdate")
                    : w.object().path("spec").path("strategy").path("rollingUpdate");
            assertFalse(rolling.path("maxUnavailable").isMissingNode(), w.name() + " has no maxUnavailable");
        });
    }

    /** Prometheus finds the metrics where the application serves them. */
    @Test
    void prometheusScrapesWhereTheApplicationServesMetrics() {
        everyWorkload(w -> {
            JsonNode annotations = w.pod().path("metadata").path("annotations");
            assertEquals("true", annotations.path("prometheus.io/scrape").asText(), w.name());
            assertEquals(application.getProperty("quarkus.http.port"), annotations.path("prometheus.io/port").asText(),
                    w.name());
            assertEquals(application.getProperty("quarkus.micrometer.export.prometheus.path"),
                    annotations.path("prometheus.io/path").asText(), w.name());
            assertEquals(200, given().get(annotations.path("prometheus.io/path").asText()).statusCode());
        });
    }

    @Test
    void podsRunAsNonRootWithAReadOnlyRootAndNoCapabilities() {
        everyWorkload(w -> {
            assertTrue(w.spec().path("securityContext").path("runAsNonRoot").asBoolean(), w.name() + " runAsNonRoot");
            JsonNode security = w.container().path("securityContext");
            assertTrue(security.path("readOnlyRootFilesystem").asBoolean(), w.name() + " readOnlyRootFilesystem");
            assertFalse(security.path("allowPrivilegeEscalation").asBoolean(true), w.name() + " privilege escalation");
            assertEquals("ALL", security.path("capabilities").path("drop").path(0).asText(), w.name() + " drops ALL");
            assertTrue(!security.has("runAsNonRoot") || security.path("runAsNonRoot").asBoolean(), w.name());
            for (JsonNode init : w.spec().path("initContainers")) {
                JsonNode initSecurity = init.path("securityContext");
                assertTrue(initSecurity.path("readOnlyRootFilesystem").asBoolean(), w.name() + " init read-only");
                assertEquals("ALL", initSecurity.path("capabilities").path("drop").path(0).asText(), w.name());
                assertTrue(initSecurity.path("capabilities").path("add").size() <= 1,
                        w.name() + " init adds at most one capability");
            }
        });
    }

    @Test
    void everyContainerHasMemoryAndCpuResources() {
        everyWorkload(w -> {
            resources(w.container(), w.name());
            for (JsonNode init : w.spec().path("initContainers")) {
                resources(init, w.name() + " init " + init.path("name").asText());
            }
        });
    }

    /** The port the probes and the Service use is the port the application listens on, and the probes answer UP. */
    @Test
    void probesUseTheApplicationsPortAndPathsThatAnswer() {
        everyWorkload(w -> {
            JsonNode container = w.container();
            JsonNode port = single(container.path("ports"), "http", w.name());
            assertEquals(Integer.parseInt(application.getProperty("quarkus.http.port")),
                    port.path("containerPort").asInt(), w.name() + " container port");
            for (String probe : new String[] {"startupProbe", "readinessProbe", "livenessProbe"}) {
                JsonNode get = container.path(probe).path("httpGet");
                assertEquals("http", get.path("port").asText(), w.name() + " " + probe + " port");
                String path = get.path("path").asText();
                assertTrue(path.startsWith("/q/health/"), w.name() + " " + probe + " " + path);
                // The path exists in the application and answers UP (this test's service has a model loaded).
                given().get(path).then().statusCode(200);
                assertTrue(container.path(probe).path("periodSeconds").asInt() > 0, w.name() + " " + probe);
            }
        });
    }

    /** Every EDGE_* variable and every key of the mounted profile is one the service reads (edge-config/KEYS.md). */
    @Test
    void theEnvironmentAndTheProfileSetOnlyKeysTheServiceReads() {
        everyWorkload(w -> {
            for (String variable : w.env().keySet()) {
                assertTrue(OTHER_ENV.contains(variable) || ConfigKeys.knowsEnv(variable),
                        w.name() + " sets " + variable + ", which sets no key the service reads");
            }
            for (String key : w.profile().stringPropertyNames()) {
                assertTrue(ConfigKeys.knows(key), w.name() + ": the ConfigMap sets " + key
                        + ", which the service does not read (edge-config/KEYS.md)");
            }
        });
    }

    /** A read-only root still has a writable model store (the one the profile names) and /tmp. */
    @Test
    void theModelStoreAndTmpAreWritableMounts() {
        everyWorkload(w -> {
            Map<String, JsonNode> mounts = w.mounts();
            String store = w.profile().getProperty("edge.model.store");
            assertNotNull(store, w.name() + ": the profile has no model store");
            JsonNode storeMount = mounts.values().stream().filter(m -> m.path("mountPath").asText().equals(store))
                    .findFirst().orElseThrow(() -> new AssertionError(w.name() + ": nothing is mounted at " + store));
            assertFalse(storeMount.path("readOnly").asBoolean(false), w.name() + ": the model store must be writable");
            assertTrue(mounts.values().stream().anyMatch(m -> m.path("mountPath").asText().equals("/tmp")),
                    w.name() + ": a read-only root needs a writable /tmp");
            for (JsonNode mount : mounts.values()) {
                assertTrue(w.volumes().containsKey(mount.path("name").asText()), w.name() + " mounts an unknown volume");
            }
        });
    }

    /**
     * The six recommended labels on every rendered object (workloads, Service, ConfigMap, Namespace, claim) and on every
     * pod template, the same values throughout the overlay, version = the image tag; selectors only on labels that
     * never change (a DaemonSet's selector is immutable: a version in it would make the next release's apply fail).
     */
    private static void labels(Overlay overlay) {
        String where = overlay.name() + ": ";
        Map<String, String> expected = new TreeMap<>();
        for (JsonNode object : overlay.objects()) {
            String name = where + object.path("kind").asText() + " " + object.path("metadata").path("name").asText();
            recommendedLabels(object.path("metadata").path("labels"), expected, name);
        }
        assertEquals("edge-detector", expected.get("app.kubernetes.io/name"), where + "app.kubernetes.io/name");
        assertEquals("edge-vision", expected.get("app.kubernetes.io/part-of"), where + "app.kubernetes.io/part-of");
        assertEquals("kustomize", expected.get("app.kubernetes.io/managed-by"), where + "app.kubernetes.io/managed-by");
        for (Workload workload : overlay.workloads()) {
            String name = workload.name();
            JsonNode pod = workload.pod();
            recommendedLabels(pod.path("metadata").path("labels"), expected, name + " pod template");
            String image = workload.container().path("image").asText();
            assertEquals(image.substring(image.lastIndexOf(':') + 1), expected.get("app.kubernetes.io/version"),
                    name + ": app.kubernetes.io/version is the image tag (" + image + ")");
            for (JsonNode init : workload.spec().path("initContainers")) {
                assertEquals(image, init.path("image").asText(), name + " init " + init.path("name").asText());
            }
            JsonNode selector = workload.object().path("spec").path("selector");
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
