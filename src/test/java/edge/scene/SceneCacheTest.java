package edge.scene;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scene cache through the REST API, with the default thresholds. */
@QuarkusTest
class SceneCacheTest {

    @Inject
    SceneCache cache;

    static Response post(byte[] image, String camera) {
        return given().contentType("image/jpeg").body(image).queryParam("camera", camera).post("/detect");
    }

    @Test
    void aNoisyReEncodeOfASeenFrameIsAHitWithTheSameDetections() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        Response first = post(bus, "aisle-1");
        first.then().statusCode(200).body("cache.hit", equalTo(false));
        String scene = first.jsonPath().getString("cache.scene");
        byte[] again = Frames.noisy(bus, 2.0, 1.03, 80, 1);
        Response second = post(again, "aisle-1");
        second.then().statusCode(200).body("cache.hit", equalTo(true)).body("cache.scene", equalTo(scene))
                .body("timings.inferenceMs", equalTo(0.0f));
        assertEquals(first.jsonPath().getList("detections").toString(), second.jsonPath().getList("detections").toString());
        assertTrue(second.jsonPath().getLong("cache.ageMs") >= 0);
        // count and gRPC-facing endpoints carry the same cache facts
        given().contentType("image/jpeg").body(Frames.noisy(bus, 1.0, 0.97, 90, 2)).queryParam("camera", "aisle-1")
                .post("/count").then().statusCode(200).body("cache.hit", equalTo(true))
                .body("report", equalTo("person 4, bus 1"));
    }

    @Test
    void aSmallPastedPersonIsAMissWithFreshDetectionsThatIncludeIt() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        post(bus, "door-2").then().body("cache.hit", equalTo(false)).body("counts.person", equalTo(4));
        byte[] changed = Frames.busWithPastedPerson(0.03);
        Response r = post(changed, "door-2");
        r.then().statusCode(200).body("cache.hit", equalTo(false));
        assertTrue(r.jsonPath().getInt("counts.person") >= 5, "the pasted person is detected: " + r.asString());
    }

    @Test
    void cacheFalseBypassesTheCacheAndNoCameraMeansNoCache() {
        byte[] zidane = Fixtures.imageBytes("zidane.jpg");
        post(zidane, "gate-3").then().body("cache.hit", equalTo(false));
        given().contentType("image/jpeg").body(zidane).queryParam("camera", "gate-3").queryParam("cache", "false")
                .post("/detect").then().statusCode(200).body("cache", nullValue())
                .body("timings.inferenceMs", org.hamcrest.Matchers.greaterThan(0f));
        given().contentType("image/jpeg").body(zidane).post("/detect").then().statusCode(200).body("cache", nullValue());
        given().contentType("image/jpeg").body(zidane).queryParam("cache", "maybe").post("/detect")
                .then().statusCode(400);
    }

    @Test
    void scopesDoNotLeakIntoEachOther() {
        byte[] zidane = Fixtures.imageBytes("zidane.jpg");
        post(zidane, "loading-bay-a").then().body("cache.hit", equalTo(false));
        post(zidane, "loading-bay-b").then().body("cache.hit", equalTo(false));
        post(zidane, "loading-bay-a").then().body("cache.hit", equalTo(true));
        assertEquals(1, cache.size("loading-bay-b"));
    }

    @Test
    void differentParametersAreDifferentAnswers() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        post(bus, "params-cam").then().body("cache.hit", equalTo(false));
        given().contentType("image/jpeg").body(bus).queryParam("camera", "params-cam").queryParam("classes", "bus")
                .post("/count").then().body("cache.hit", equalTo(false)).body("report", equalTo("bus 1"));
    }

    @Test
    void theCacheStaysWithinItsBounds() throws Exception {
        List<byte[]> images = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(Fixtures.coco128().resolve("images"))) {
            for (var p : files.sorted().limit(10).toList()) {
                images.add(java.nio.file.Files.readAllBytes(p));
            }
        }
        for (byte[] image : images) {
            post(image, "busy-cam").then().statusCode(200);
        }
        // This test's own hit (the newest scene again), so that the hit counter does not depend on other tests.
        post(images.get(images.size() - 1), "busy-cam").then().statusCode(200).body("cache.hit", equalTo(true));
        assertEquals(8, cache.size("busy-cam"), "edge.cache.max-scenes");
        String metrics = given().get("/q/metrics").then().extract().asString();
        assertTrue(metrics.contains("edge_cache_lookups_total{result=\"hit\"}"));
        assertTrue(metrics.contains("edge_cache_scenes"));
        assertTrue(metrics.contains("edge_cache_scope_scenes{scope=\"busy-cam\"} 8.0"), "scenes per scope");
        assertFalse(metrics.contains("edge_cache_lookups_total{result=\"hit\"} 0.0"));
        assertNotEquals(0, cache.scopeCount());
    }
}
