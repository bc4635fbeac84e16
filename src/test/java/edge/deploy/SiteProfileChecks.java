package edge.deploy;

import edge.config.ConfigKeys;
import edge.testing.Fixtures;
import io.restassured.RestAssured;
import edge.testing.Cameras;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What every site profile must do once the service runs with it (see {@link SiteProfile} for the stand-ins). */
abstract class SiteProfileChecks {

    protected abstract String site();

    @Test
    void everyKeyOfTheProfileIsAKeyTheServiceKnows() {
        Properties profile = SiteProfile.load(SiteProfile.file(site()));
        for (String key : profile.stringPropertyNames()) {
            assertTrue(ConfigKeys.knows(key), site() + " sets " + key + ", which the service does not read "
                    + "(edge-config/KEYS.md lists every key)");
        }
    }

    @Test
    void isReadyWithTheProfilesSettings() {
        given().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
        Properties profile = SiteProfile.load(SiteProfile.file(site()));
        // The profile's cameras are the ones polled, and its image limit (not the default 20M) is in force.
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertEquals(SiteProfile.cameras(profile).size(), metrics.lines()
                .filter(l -> l.startsWith("edge_camera_healthy{")).count(), metrics);
        String maxBytes = profile.getProperty("edge.image.max-bytes");
        int limit = Integer.parseInt(maxBytes.replace("M", "")) * 1024 * 1024;
        given().contentType("image/jpeg").body(new byte[limit + 1]).post("/count").then().statusCode(413);
    }

    @Test
    void countsAFrameSentToIt() {
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count").then().statusCode(200)
                .body("total", equalTo(5)).body("report", equalTo("person 4, bus 1"));
    }

    @Test
    void answersTheLatestCountsOfItsCameras() throws InterruptedException {
        Properties profile = SiteProfile.load(SiteProfile.file(site()));
        List<String> cameras = SiteProfile.cameras(profile);
        assertFalse(cameras.isEmpty(), site() + " configures no camera");
        // Every fake camera shows bus.jpg; what the service counts in it with every class kept:
        Map<String, Integer> everything = given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .post("/count").then().statusCode(200).extract().jsonPath().getMap("counts", String.class, Integer.class);
        assertTrue(everything.containsKey("bus") && everything.containsKey("person"), everything.toString());
        // Each camera counts only its own classes: its latest counts are exactly bus.jpg's counts of those classes.
        for (String camera : cameras) {
            String configured = profile.getProperty("edge.cameras." + camera + ".classes");
            assertNotNull(configured, site() + ": camera " + camera + " has no classes (this check wants them set)");
            Set<String> classes = Arrays.stream(configured.split(",")).map(String::trim).collect(Collectors.toSet());
            JsonPath count = latest(camera);
            assertEquals(camera, count.getString("camera"));
            Map<String, Integer> counts = count.getMap("counts", String.class, Integer.class);
            assertTrue(classes.containsAll(counts.keySet()), site() + ": camera " + camera + " counts " + counts
                    + " but is configured for " + classes);
            Map<String, Integer> expected = new TreeMap<>(everything);
            expected.keySet().retainAll(classes);
            assertEquals(expected, new TreeMap<>(counts), site() + ": camera " + camera + " (classes " + classes + ")");
        }
    }

    private static JsonPath latest(String camera) throws InterruptedException {
        return Cameras.latestCount(camera);
    }
}
