package edge.deploy;

import edge.config.ConfigKeys;
import edge.testing.Fixtures;
import io.restassured.RestAssured;
import edge.testing.Cameras;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Properties;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
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
        List<String> cameras = SiteProfile.cameras(SiteProfile.load(SiteProfile.file(site())));
        String camera = cameras.get(0);
        JsonPath count = latest(camera);
        assertEquals(camera, count.getString("camera"));
        // Each camera counts only its own classes: the fake camera shows bus.jpg (4 people and a bus).
        assertTrue(count.getInt("counts.person") > 0, count.prettify());
    }

    private static JsonPath latest(String camera) throws InterruptedException {
        return Cameras.latestCount(camera);
    }
}
