package edge.registry.it;

import edge.registry.sign.ModelSigner;
import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Registry faults (issue 9): a registry that stalls mid-blob and a model store whose disk is full. In each the box
 * keeps serving its model, says why in the pull result, and recovers by itself once the fault is gone.
 */
@QuarkusTest
@TestProfile(FaultyRegistry.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RegistryFaultsTest {

    private static String config(String key) {
        return ConfigProvider.getConfig().getValue(key, String.class);
    }

    private static String publish(String model, String version) throws Exception {
        return RegistryFixture.publish(URI.create(config("test.registry.direct")), Fixtures.model(model), version,
                Optional.of(ModelSigner.fromPem(Path.of(config("test.registry.signing-key")))));
    }

    @SuppressWarnings("unchecked")
    private static void proxy(String action) {
        ((Map<String, Runnable>) System.getProperties().get(FaultyRegistry.CONTROL)).get(action).run();
    }

    private static JsonPath pull() {
        return FollowTagTest.admin().post("/models/pull").then().statusCode(200).extract().jsonPath();
    }

    private static void serving(String version) {
        RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("model.version", equalTo(version)).body("report", equalTo("person 4, bus 1"));
        RestAssured.get("/q/health/ready").then().statusCode(200);
    }

    @Test
    @Order(1)
    void aRegistryThatStallsMidBlobDoesNotHoldTheBox() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (RestAssured.get("/q/health/ready").statusCode() != 200 && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        serving("1-dynamic");
        publish(Fixtures.QDQ, "2-qdq");
        proxy("stall");
        long started = System.nanoTime();
        JsonPath stalled;
        try {
            stalled = pull();
        } finally {
            proxy("flow");
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
        assertEquals("failed", stalled.getString("outcome"), stalled.prettify());
        assertEquals("unreachable", stalled.getString("reason"));
        assertTrue(stalled.getString("message").contains("stalled"), stalled.getString("message"));
        assertTrue(seconds < 30, "given up after the 2 s stall timeout, not hung: " + seconds + " s");
        serving("1-dynamic");

        assertEquals("updated", pull().getString("outcome"), "recovers once the registry flows again");
        serving("2-qdq");
    }

    @Test
    @Order(2)
    void aFullDiskFailsThePullNotTheBox() throws Exception {
        Assumptions.assumeTrue(Boolean.parseBoolean(config("test.tmpfs.mounted")),
                "needs a tmpfs for the store: this process may not mount one (the test runs as root in CI)");
        Path filler = Path.of(config("test.tmpfs")).resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[64 * 1024];
            while (true) {
                out.write(block);
            }
        } catch (IOException full) {
            // The disk is full now.
        }
        try {
            publish(Fixtures.DYNAMIC, "3-after-full");
            JsonPath full = pull();
            assertEquals("failed", full.getString("outcome"), full.prettify());
            assertEquals("store", full.getString("reason"));
            assertTrue(full.getString("message").contains("No space left"), full.getString("message"));
            serving("2-qdq");
            FollowTagTest.admin().get("/models").then().body("versions.size()", equalTo(2));
        } finally {
            Files.delete(filler);
        }
        assertEquals("updated", pull().getString("outcome"), "recovers once there is space again");
        serving("3-after-full");
    }
}
