package edge.registry.it;

import edge.registry.ModelStore;
import edge.registry.oci.OciClient;
import edge.registry.oci.OciReader;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.sign.ModelSigner;
import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The refusals README.md promises and no other test showed: a refused digest is not downloaded again while the tag
 * stays on it ({@code still-refused}, counted as blob GETs in the registry's own access log), a model layer over
 * {@code edge.registry.max-model-bytes} is refused before a byte of it is downloaded ({@code too_large}), and a
 * manifest that is not a model artifact (a container image) is refused as {@code not_a_model}. The box keeps
 * serving its model through all of them.
 */
@QuarkusTest
@TestProfile(RefusingRegistry.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RefusedModelsTest {

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static URI registry() {
        return URI.create(config("edge.registry.url"));
    }

    private static String publishSigned(Path model, String version) throws Exception {
        return RegistryFixture.publish(registry(), model, version,
                Optional.of(ModelSigner.fromPem(Path.of(config("test.registry.signing-key")))));
    }

    private static JsonPath pullNow() {
        return FollowTagTest.admin().post("/models/pull").then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath lastPull() {
        return FollowTagTest.admin().get("/models").then().statusCode(200).extract().jsonPath().setRootPath("lastPull");
    }

    /** GET requests for this blob that the registry answered, from its access log ("GET /v2/.../blobs/d HTTP/1.1"). */
    private static long blobGets(String digest) throws Exception {
        String request = "\"GET /v2/" + RegistryFixture.REPOSITORY + "/blobs/" + digest + " HTTP/";
        return Files.readAllLines(Path.of(config("test.registry.log")), StandardCharsets.UTF_8).stream()
                .filter(line -> line.contains(request)).count();
    }

    private static double metric(String line) {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith(line + " ")).mapToDouble(l ->
                Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(0);
    }

    private static void stillServingTheFirstModel() {
        RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("model.version", equalTo("1-dynamic"))
                .body("report", equalTo("person 4, bus 1"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(1)
    void servesTheFirstModel() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (RestAssured.get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        stillServingTheFirstModel();
    }

    @Test
    @Order(2)
    void aRefusedDigestIsNotDownloadedAgainWhileTheTagStaysOnIt() throws Exception {
        // Refused only after its layer was downloaded (it does not load in ONNX Runtime): the costly kind to repeat.
        Path garbage = Files.write(Path.of(config("test.registry.dir")).resolve("garbage.onnx"),
                "this is not an ONNX model at all".getBytes(StandardCharsets.UTF_8));
        String layer = ModelStore.sha256(garbage);
        publishSigned(garbage, "2-garbage");
        JsonPath refused = pullNow();
        assertEquals("refused", refused.getString("outcome"), refused.prettify());
        assertEquals("not_onnx", refused.getString("reason"), refused.prettify());
        assertEquals(1, blobGets(layer), "the refused layer was downloaded once, to be refused");

        // The timer polls every second: wait for three more checks of the same digest.
        double before = metric("edge_model_pulls_total{outcome=\"still-refused\"}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (metric("edge_model_pulls_total{outcome=\"still-refused\"}") < before + 3 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        assertTrue(metric("edge_model_pulls_total{outcome=\"still-refused\"}") >= before + 3,
                "the timer checked the refused digest again: " + lastPull().prettify());
        JsonPath still = lastPull();
        assertEquals("still-refused", still.getString("outcome"), still.prettify());
        assertEquals("not_onnx", still.getString("reason"), still.prettify());
        assertEquals(1, blobGets(layer), "still refused, and not downloaded again");
        stillServingTheFirstModel();

        // An operator's pull checks it again: downloaded a second time (and so counted: the count above means it).
        assertEquals("refused", pullNow().getString("outcome"));
        assertEquals(2, blobGets(layer), "POST /models/pull downloads the refused digest again");
    }

    @Test
    @Order(3)
    void aModelOverTheSizeLimitIsRefusedBeforeItsLayerIsDownloaded() throws Exception {
        Path qdq = Fixtures.model(Fixtures.QDQ);
        assertTrue(Files.size(qdq) > RefusingRegistry.MAX_MODEL_BYTES);
        publishSigned(qdq, "3-qdq");
        JsonPath pull = pullNow();
        assertEquals("refused", pull.getString("outcome"), pull.prettify());
        assertEquals("too_large", pull.getString("reason"), pull.prettify());
        assertTrue(pull.getString("message").contains("edge.registry.max-model-bytes (" + RefusingRegistry.MAX_MODEL_BYTES
                + ")"), pull.getString("message"));
        assertTrue(pull.getString("message").contains(Long.toString(Files.size(qdq))), pull.getString("message"));
        assertEquals(0, blobGets(ModelStore.sha256(qdq)), "judged from the manifest: not a byte downloaded");
        assertTrue(metric("edge_model_pull_failures_total{reason=\"too_large\"}") >= 1);
        stillServingTheFirstModel();
    }

    @Test
    @Order(4)
    void aContainerImageUnderTheTagIsNotAModel() throws Exception {
        OciClient client = new OciClient(RegistryEndpoint.of(registry()));
        var imageConfig = client.pushBlob(RegistryFixture.REPOSITORY, "{\"architecture\":\"amd64\",\"os\":\"linux\"}"
                .getBytes(StandardCharsets.UTF_8), "application/vnd.oci.image.config.v1+json");
        var layer = client.pushBlob(RegistryFixture.REPOSITORY, "not really a tar".getBytes(StandardCharsets.UTF_8),
                "application/vnd.oci.image.layer.v1.tar+gzip");
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciReader.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + imageConfig.mediaType() + "\",\"digest\":\"" + imageConfig.digest()
                + "\",\"size\":" + imageConfig.size() + "},"
                + "\"layers\":[{\"mediaType\":\"" + layer.mediaType() + "\",\"digest\":\"" + layer.digest()
                + "\",\"size\":" + layer.size() + "}]}";
        client.pushManifest(RegistryFixture.REPOSITORY, "stable", manifest.getBytes(StandardCharsets.UTF_8),
                OciReader.OCI_MANIFEST);
        JsonPath pull = pullNow();
        assertEquals("refused", pull.getString("outcome"), pull.prettify());
        assertEquals("not_a_model", pull.getString("reason"), pull.prettify());
        assertTrue(pull.getString("message").contains("not a model"), pull.getString("message"));
        assertEquals(0, blobGets(layer.digest()), "nothing of an image is downloaded");
        assertTrue(metric("edge_model_pull_failures_total{reason=\"not_a_model\"}") >= 1);
        stillServingTheFirstModel();
    }
}
