package edge.scene;

import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.model.ModelService;
import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Freshness through the REST API: a scene hit too often in a row or too old is detected afresh; a model change
 * empties the cache. Time is the {@link ManualSceneClock}, so a scene grows old without waiting.
 */
@QuarkusTest
@TestProfile(SceneFreshnessTest.ShortLived.class)
class SceneFreshnessTest {

    public static class ShortLived implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("edge.cache.max-hits", "2", "edge.cache.ttl", "6s");
        }

        @Override
        public Set<Class<?>> getEnabledAlternatives() {
            return Set.of(ManualSceneClock.class);
        }
    }

    @Inject
    SceneCache cache;

    @Inject
    ModelService models;

    @Inject
    ManualSceneClock clock;

    @Test
    void forcedRecheckAfterMaxHitsThenHitsAgain() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        SceneCacheTest.post(bus, "shelf-1").then().body("cache.hit", equalTo(false));
        SceneCacheTest.post(bus, "shelf-1").then().body("cache.hit", equalTo(true));
        SceneCacheTest.post(bus, "shelf-1").then().body("cache.hit", equalTo(true));
        // Third match in a row: re-detected (and the scene refreshed), then hits resume.
        SceneCacheTest.post(bus, "shelf-1").then().body("cache.hit", equalTo(false))
                .body("counts.person", equalTo(4));
        SceneCacheTest.post(bus, "shelf-1").then().body("cache.hit", equalTo(true)).body("cache.ageMs",
                org.hamcrest.Matchers.lessThan(6000));
        assertEquals(1, cache.size("shelf-1"), "the re-check refreshed the scene instead of adding one");
    }

    @Test
    void aSceneOlderThanTheTtlIsDetectedAfresh() {
        byte[] zidane = Fixtures.imageBytes("zidane.jpg");
        SceneCacheTest.post(zidane, "shelf-2").then().body("cache.hit", equalTo(false));
        SceneCacheTest.post(zidane, "shelf-2").then().body("cache.hit", equalTo(true));
        clock.advance(Duration.ofMillis(6300));
        SceneCacheTest.post(zidane, "shelf-2").then().body("cache.hit", equalTo(false));
    }

    @Test
    void aModelChangeEmptiesTheCache() throws Exception {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        SceneCacheTest.post(bus, "shelf-3").then().body("cache.hit", equalTo(false));
        org.junit.jupiter.api.Assertions.assertTrue(cache.size() > 0);
        LoadedModel qdq = new ModelLoader(1).load(Fixtures.model(Fixtures.QDQ), Optional.empty());
        LoadedModel original = new ModelLoader(1).load(Fixtures.model(Fixtures.DYNAMIC), Optional.empty());
        try {
            models.swap(qdq);
            assertEquals(0, cache.size());
            SceneCacheTest.post(bus, "shelf-3").then().body("cache.hit", equalTo(false))
                    .body("model.name", equalTo("yolov8n-int8-qdq"));
        } finally {
            models.swap(original);
        }
        assertEquals(0, cache.size());
    }
}
