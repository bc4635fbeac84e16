package edge.registry.it;

import edge.registry.sign.ModelSigner;
import edge.testing.Fixtures;
import edge.testing.ModelEdits;
import edge.testing.RegistryServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole life of a box following a channel on a real registry: first pull into an empty store, a live swap
 * under load, every kind of bad artifact refused while the old model serves, rollback, pin, the admin key, and the
 * registry going away. The methods run in order on one box.
 */
@QuarkusTest
@TestProfile(FollowingRegistry.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FollowTagTest {

    private static String qdqDigest;

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static URI registry() {
        return URI.create(config("edge.registry.url"));
    }

    private static ModelSigner signer(String key) throws Exception {
        return ModelSigner.fromPem(Path.of(config(key)));
    }

    static RequestSpecification admin() {
        return RestAssured.given().header("Authorization", "Bearer " + RegistryFixture.ADMIN_KEY);
    }

    private static JsonPath pullNow() {
        return admin().post("/models/pull").then().statusCode(200).extract().jsonPath();
    }

    private static Response detectBus() {
        return RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/detect");
    }

    private static String metrics() {
        return RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
    }

    @SuppressWarnings("unchecked")
    private static void registry(String action) {
        ((Map<String, Runnable>) System.getProperties().get(FollowingRegistry.CONTROL)).get(action).run();
    }

    @Test
    @Order(1)
    void anEmptyStorePullsValidatesAndServesTheTaggedModel() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (RestAssured.get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        String digest = config("test.registry.first-digest");
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.digest", equalTo(digest))
                .body("checks.find { it.name == 'model' }.data.lastPull", containsString("updated"));
        detectBus().then().statusCode(200).body("model.name", equalTo("yolov8n"))
                .body("model.version", equalTo("1-dynamic"));
        admin().get("/models").then().statusCode(200)
                .body("serving.digest", equalTo(digest))
                .body("serving.source", equalTo("registry"))
                .body("following.tag", equalTo("stable"))
                .body("following.signaturesRequired", equalTo(true))
                .body("following.servedName", equalTo("yolov8n"))
                .body("following.store", notNullValue())
                .body("following.publicKey", endsWith(".pem"))
                .body("versions.size()", equalTo(1))
                .body("lastPull.outcome", equalTo("updated"));
        // An info metric (Prometheus convention: the name ends in _info, value 1, the facts in the labels).
        String metrics = metrics();
        assertTrue(metrics.lines().anyMatch(line -> line.startsWith("edge_model_info{")
                        && line.contains("digest=\"" + digest + "\"") && line.contains("name=\"yolov8n\"")
                        && line.contains("version=\"1-dynamic\"") && line.endsWith(" 1.0")),
                "edge_model_info names the serving model's name, version and digest:\n" + metrics);
        assertFalse(metrics.contains("edge_model_serving"), "the old name is gone");
    }

    @Test
    @Order(2)
    void aNewVersionSwapsInWhileEightClientsKeepSendingAndNoneFails() throws Exception {
        // Published under another artifact name (as `publish` names it by its file without --name): the box still
        // serves it as "yolov8n", the last segment of the repository it follows, so KServe clients keep their URL.
        qdqDigest = RegistryFixture.publish(registry(), Fixtures.model(Fixtures.QDQ), "yolov8n-int8-qdq", "2-qdq",
                Optional.of(signer("test.registry.signing-key")));
        AtomicBoolean stop = new AtomicBoolean();
        Map<String, AtomicInteger> versions = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService clients = Executors.newFixedThreadPool(9);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            running.add(clients.submit(() -> {
                while (!stop.get()) {
                    Response r = detectBus();
                    if (r.statusCode() == 200) {
                        versions.computeIfAbsent(r.jsonPath().getString("model.version"), v -> new AtomicInteger())
                                .incrementAndGet();
                    } else {
                        failures.add(r.statusCode() + " " + r.asString());
                    }
                }
            }));
        }
        // Readiness is asked throughout as well: it must stay UP through the swap.
        running.add(clients.submit(() -> {
            while (!stop.get()) {
                int status = RestAssured.get("/q/health/ready").statusCode();
                if (status != 200) {
                    failures.add("readiness " + status);
                }
                sleepQuietly(50);
            }
        }));
        try {
            Thread.sleep(1000);
            JsonPath pull = pullNow();
            assertEquals("updated", pull.getString("outcome"), pull.prettify());
            assertEquals(qdqDigest, pull.getString("digest"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (versions.getOrDefault("2-qdq", new AtomicInteger()).get() < 16 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
        } finally {
            stop.set(true);
            clients.shutdown();
            assertTrue(clients.awaitTermination(60, TimeUnit.SECONDS));
        }
        for (Future<?> client : running) {
            client.get();
        }
        assertEquals(List.of(), failures, "no request fails and readiness stays UP during a swap");
        assertTrue(versions.getOrDefault("1-dynamic", new AtomicInteger()).get() > 0, versions.toString());
        assertTrue(versions.getOrDefault("2-qdq", new AtomicInteger()).get() >= 16, versions.toString());
        detectBus().then().statusCode(200).body("model.version", equalTo("2-qdq"))
                .body("model.name", equalTo("yolov8n"));
        RestAssured.get("/v2/models/yolov8n/ready").then().statusCode(200);
        RestAssured.get("/v2/models/yolov8n/versions/2-qdq").then().statusCode(200);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.digest", equalTo(qdqDigest))
                .body("checks.find { it.name == 'model' }.data.following", endsWith("/vision/yolov8n:stable"));
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes a bad artifact as stable, asks for a pull, and checks it was refused for the reason given. */
    private static void refused(String reason, String outcome) {
        JsonPath pull = pullNow();
        assertEquals(outcome, pull.getString("outcome"), pull.prettify());
        assertEquals(reason, pull.getString("reason"), pull.prettify());
        assertNotNull(pull.getString("message"));
        detectBus().then().statusCode(200).body("model.version", equalTo("2-qdq"));
        admin().get("/models").then().statusCode(200)
                .body("serving.version", equalTo("2-qdq"))
                .body("lastPull.reason", equalTo(reason));
        assertTrue(metrics().contains("edge_model_pull_failures_total{reason=\"" + reason + "\"}"),
                "failure metric for " + reason);
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.lastPullError", containsString(reason));
    }

    @Test
    @Order(3)
    void aBlobCorruptedInTheRegistryIsRefused() throws Exception {
        // The same ONNX layer as version 1, under a new config: corrupt that layer in the registry's own storage.
        RegistryFixture.publish(registry(), Fixtures.model(Fixtures.DYNAMIC), "3-corrupt",
                Optional.of(signer("test.registry.signing-key")));
        String layer = edge.registry.ModelStore.sha256(Fixtures.model(Fixtures.DYNAMIC));
        Path data = RegistryServer.blobData(Path.of(config("test.registry.storage")), layer);
        byte[] original = Files.readAllBytes(data);
        byte[] corrupted = original.clone();
        corrupted[corrupted.length / 2] ^= 0x5a;
        Files.write(data, corrupted);
        try {
            refused("digest_mismatch", "failed");
        } finally {
            Files.write(data, original);
        }
    }

    @Test
    @Order(4)
    void aModelSignedWithAnotherKeyIsRefused() throws Exception {
        RegistryFixture.publish(registry(), Fixtures.model(Fixtures.DYNAMIC), "4-wrong-key",
                Optional.of(signer("test.registry.wrong-key")));
        refused("bad_signature", "refused");
    }

    @Test
    @Order(5)
    void anUnsignedModelIsRefused() {
        RegistryFixture.publish(registry(), Fixtures.model(Fixtures.DYNAMIC), "5-unsigned", Optional.empty());
        refused("unsigned", "refused");
    }

    @Test
    @Order(6)
    void aModelThatLoadsButFailsTheCanaryIsRefused() throws Exception {
        Path blind = ModelEdits.scaleScores(Fixtures.model(Fixtures.DYNAMIC),
                Path.of(config("test.registry.dir")).resolve("blind.onnx"), 0.01f);
        RegistryFixture.publish(registry(), blind, "6-blind", Optional.of(signer("test.registry.signing-key")));
        refused("canary", "refused");
        admin().get("/models").then().body("lastPull.message", containsString("person 0 < 3"));
    }

    @Test
    @Order(7)
    void aFileThatIsNotOnnxIsRefused() throws Exception {
        Path garbage = Files.write(Path.of(config("test.registry.dir")).resolve("garbage.onnx"),
                "this is not an ONNX model at all".getBytes());
        RegistryFixture.publish(registry(), garbage, "7-garbage", Optional.of(signer("test.registry.signing-key")));
        refused("not_onnx", "refused");
    }

    @Test
    @Order(8)
    void rollbackServesThePreviousVersionAndPinsIt() {
        String first = config("test.registry.first-digest");
        admin().post("/models/rollback").then().statusCode(200)
                .body("serving.digest", equalTo(first))
                .body("serving.version", equalTo("1-dynamic"))
                .body("following.pinned", equalTo(first));
        detectBus().then().statusCode(200).body("model.version", equalTo("1-dynamic"));
        JsonPath pull = pullNow();
        assertEquals("pinned", pull.getString("outcome"), "a pinned box does not follow the tag");
        detectBus().then().statusCode(200).body("model.version", equalTo("1-dynamic"));
        // Nothing older than version 1 to roll back to.
        admin().post("/models/rollback").then().statusCode(409).body("error", containsString("no older version"));
    }

    @Test
    @Order(9)
    void pinServesAGivenDigestAndUnpinFollowsTheTagAgain() throws Exception {
        admin().contentType(ContentType.JSON).body("{\"digest\":\"" + qdqDigest + "\"}").put("/models/pin")
                .then().statusCode(200)
                .body("serving.version", equalTo("2-qdq"))
                .body("following.pinned", equalTo(qdqDigest));
        detectBus().then().statusCode(200).body("model.version", equalTo("2-qdq"));
        admin().contentType(ContentType.JSON).body("{\"digest\":\"sha256:" + "0".repeat(64) + "\"}")
                .put("/models/pin").then().statusCode(409).body("error", containsString("not_found"));
        admin().contentType(ContentType.JSON).body("{\"digest\":\"latest\"}").put("/models/pin")
                .then().statusCode(400);
        detectBus().then().statusCode(200).body("model.version", equalTo("2-qdq"));

        String good = RegistryFixture.publish(registry(), Fixtures.model(Fixtures.DYNAMIC), "8-good",
                Optional.of(signer("test.registry.signing-key")));
        admin().delete("/models/pin").then().statusCode(200)
                .body("following.pinned", nullValue())
                .body("serving.digest", equalTo(good))
                .body("serving.version", equalTo("8-good"));
        detectBus().then().statusCode(200).body("model.version", equalTo("8-good"));
    }

    @Test
    @Order(10)
    void theAdminApiWithoutTheKeyAnswers401() {
        RestAssured.get("/models").then().statusCode(401).header("WWW-Authenticate", containsString("Bearer"))
                .body("error", containsString("Authorization: Bearer"));
        RestAssured.post("/models/pull").then().statusCode(401);
        RestAssured.post("/models/rollback").then().statusCode(401);
        RestAssured.given().contentType(ContentType.JSON).body("{\"digest\":\"" + qdqDigest + "\"}")
                .put("/models/pin").then().statusCode(401);
        RestAssured.delete("/models/pin").then().statusCode(401);
        RestAssured.given().header("Authorization", "Bearer wrong").get("/models").then().statusCode(401)
                .body("error", equalTo("wrong admin key"));
        detectBus().then().statusCode(200).body("model.version", equalTo("8-good"));
    }

    @Test
    @Order(11)
    void withTheRegistryGoneTheBoxKeepsServing() {
        registry("stop");
        try {
            JsonPath pull = pullNow();
            assertEquals("failed", pull.getString("outcome"));
            assertEquals("unreachable", pull.getString("reason"));
            detectBus().then().statusCode(200).body("model.version", equalTo("8-good"));
            RestAssured.get("/q/health/ready").then().statusCode(200)
                    .body("checks.find { it.name == 'model' }.data.lastPullError", containsString("unreachable"));
            assertTrue(metrics().contains("edge_model_pull_failures_total{reason=\"unreachable\"}"));
        } finally {
            registry("start");
        }
        assertFalse(pullNow().getString("outcome").equals("failed"), "back once the registry is");
    }
}
