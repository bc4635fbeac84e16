package edge.registry.it;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

@QuarkusTest
@TestProfile(RestartingOffline.class)
class RestartFromStoreTest {

    @Test
    void withoutItsRegistryTheBoxServesTheLastGoodModelFromTheStoreAndKeepsRetrying() throws Exception {
        String digest = ConfigProvider.getConfig().getValue("test.registry.first-digest", String.class);
        // Ready at once: the stored model is loaded before the service takes requests.
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.digest", equalTo(digest))
                .body("checks.find { it.name == 'model' }.data.source", equalTo("store"));
        RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("model.version", equalTo("1-dynamic"))
                .body("report", equalTo("person 4, bus 1"));

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        JsonPath status;
        do {
            Thread.sleep(200);
            status = FollowTagTest.admin().get("/models").then().statusCode(200).extract().jsonPath();
        } while (status.getString("lastPull.reason") == null && System.nanoTime() < deadline);
        assertEquals("unreachable", status.getString("lastPull.reason"), status.prettify());
        FollowTagTest.admin().get("/models").then()
                .body("serving.source", equalTo("store"))
                .body("versions.size()", equalTo(1))
                .body("nextPullAt", notNullValue());
        RestAssured.get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'model' }.data.lastPullError", containsString("unreachable"));

        Path tmp = Path.of(ConfigProvider.getConfig().getValue("edge.model.store", String.class)).resolve("tmp");
        try (Stream<Path> leftovers = Files.list(tmp)) {
            assertEquals(0, leftovers.count(), "the killed download's leftovers are gone");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
