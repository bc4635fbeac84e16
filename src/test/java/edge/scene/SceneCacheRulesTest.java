package edge.scene;

import edge.config.SceneConfig;
import edge.detect.AnswerCache;
import edge.detect.Box;
import edge.detect.CacheInfo;
import edge.detect.DetectParams;
import edge.detect.Detection;
import edge.model.ModelInfo;
import edge.model.ModelService;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The scene cache's rules in process, with a hand-set clock and synthetic thumbnails: no Quarkus, no model. */
class SceneCacheRulesTest {

    /** The defaults of {@link SceneConfig} except the bounds and freshness a test chooses. */
    record Config(int maxScenes, int maxScopes, Duration ttl, int maxHits) implements SceneConfig {
        @Override
        public boolean enabled() {
            return true;
        }

        @Override
        public boolean sharedScope() {
            return false;
        }

        @Override
        public double minCorrelation() {
            return 0.95;
        }

        @Override
        public double maxBlockDifference() {
            return 0.15;
        }

        @Override
        public int maxFingerprintBits() {
            return 12;
        }
    }

    static final ModelInfo MODEL = new ModelInfo("yolo", "1", "sha-1");
    static final DetectParams PARAMS = new DetectParams(0.25f, 0.45f, 300, Set.of());
    static final List<Detection> PERSON = List.of(new Detection(0, "person", 0.9f, new Box(10, 20, 30, 60)));

    final ManualSceneClock clock = new ManualSceneClock();
    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    SceneCache cache(int maxScenes, int maxScopes, Duration ttl, int maxHits) {
        return new SceneCache(new Config(maxScenes, maxScopes, ttl, maxHits), registry, clock);
    }

    SceneCache cache() {
        return cache(8, 256, Duration.ofSeconds(60), 30);
    }

    /** A normalised random thumbnail: the same seed is the same scene, different seeds are different scenes. */
    static Thumbnail scene(long seed) {
        Random random = new Random(seed);
        float[] pixels = new float[Thumbnail.SIDE * Thumbnail.SIDE];
        double sum = 0;
        double squares = 0;
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) random.nextGaussian();
            sum += pixels[i];
            squares += pixels[i] * pixels[i];
        }
        double mean = sum / pixels.length;
        double std = Math.sqrt(squares / pixels.length - mean * mean);
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] = (float) ((pixels[i] - mean) / std);
        }
        return Thumbnail.of(pixels);
    }

    static AnswerCache.Lookup look(SceneCache cache, String scope, long seed) {
        return cache.lookup(scope, scene(seed), 640, 480, MODEL, PARAMS, System.nanoTime());
    }

    /** Looks the scene up, expects a miss, and remembers {@link #PERSON} for it. */
    static CacheInfo seen(SceneCache cache, String scope, long seed) {
        AnswerCache.Lookup lookup = look(cache, scope, seed);
        assertFalse(lookup.hit(), "a miss");
        return lookup.remember(PERSON, 640, 480);
    }

    double lookups(String result) {
        return registry.get("edge.cache.lookups").tag("result", result).counter().count();
    }

    @Test
    void aSceneIsAnsweredUntilItIsOlderThanTheTtl() {
        SceneCache cache = cache(8, 256, Duration.ofSeconds(60), 30);
        CacheInfo remembered = seen(cache, "cam", 1);
        assertEquals(new CacheInfo(false, 0, remembered.scene()), remembered);

        clock.advance(Duration.ofSeconds(60));
        AnswerCache.Lookup fresh = look(cache, "cam", 1);
        assertTrue(fresh.hit(), "60 s old is still within the ttl");
        assertEquals(new CacheInfo(true, 60_000, remembered.scene()), fresh.info());
        assertEquals(PERSON, fresh.answer());

        clock.advance(Duration.ofMillis(1));
        assertFalse(look(cache, "cam", 1).hit(), "older than the ttl");
        assertEquals(0, cache.size("cam"), "the stale scene is forgotten");
        assertEquals(1.0, lookups("hit"));
        assertEquals(2.0, lookups("miss"));
    }

    @Test
    void afterMaxHitsInARowTheSceneIsDetectedAfreshAndRefreshedInPlace() {
        SceneCache cache = cache(8, 256, Duration.ofSeconds(60), 2);
        String scene = seen(cache, "cam", 1).scene();
        clock.advance(Duration.ofSeconds(5));
        assertTrue(look(cache, "cam", 1).hit());
        assertTrue(look(cache, "cam", 1).hit());

        AnswerCache.Lookup recheck = look(cache, "cam", 1);
        assertFalse(recheck.hit(), "the third match in a row goes to the model");
        assertEquals(1.0, lookups("recheck"));
        assertEquals(new CacheInfo(false, 0, scene), recheck.remember(PERSON, 640, 480));
        assertEquals(1, cache.size("cam"), "refreshed, not added");

        AnswerCache.Lookup again = look(cache, "cam", 1);
        assertEquals(new CacheInfo(true, 0, scene), again.info(), "hits resume, aged from the re-check");
    }

    @Test
    void scenesAndScopesStayWithinTheirBoundsLeastRecentlyUsedGoingFirst() {
        SceneCache cache = cache(2, 2, Duration.ofSeconds(60), 30);
        seen(cache, "a", 1);
        seen(cache, "a", 2);
        assertTrue(look(cache, "a", 1).hit()); // scene 1 is now the most recently used of scope a
        seen(cache, "a", 3);
        assertEquals(2, cache.size("a"), "max-scenes");
        assertTrue(look(cache, "a", 1).hit());
        assertFalse(look(cache, "a", 2).hit(), "the least recently used scene went");

        seen(cache, "b", 1);
        assertTrue(look(cache, "a", 1).hit()); // scope a is now the most recently used
        seen(cache, "c", 1);
        assertEquals(2, cache.scopeCount(), "max-scopes");
        assertEquals(0, cache.size("b"), "the least recently used scope went");
        assertNotEquals(0, cache.size("a"));
        assertEquals(1, cache.size("c"));
    }

    @Test
    void scopesAndParametersDoNotShareAnswers() {
        SceneCache cache = cache();
        seen(cache, "a", 1);
        assertFalse(look(cache, "b", 1).hit(), "another camera");
        DetectParams busesOnly = new DetectParams(0.25f, 0.45f, 300, Set.of(5));
        assertFalse(cache.lookup("a", scene(1), 640, 480, MODEL, busesOnly, System.nanoTime()).hit(),
                "other parameters");
        assertTrue(look(cache, "a", 1).hit());
    }

    @Test
    void aModelChangeForgetsEveryScene() {
        SceneCache cache = cache();
        seen(cache, "a", 1);
        seen(cache, "b", 2);
        cache.onModelSwapped(new ModelService.ModelSwapped(new ModelInfo("yolo", "2", "sha-2")));
        assertEquals(0, cache.size());
        assertEquals(0, cache.scopeCount());
        assertFalse(look(cache, "a", 1).hit());
    }

    @Test
    void anotherModelsAnswerIsNotUsed() {
        SceneCache cache = cache();
        seen(cache, "a", 1);
        ModelInfo other = new ModelInfo("yolo", "2", "sha-2");
        assertFalse(cache.lookup("a", scene(1), 640, 480, other, PARAMS, System.nanoTime()).hit());
        assertEquals(0, cache.size("a"), "the other model's scene is forgotten");
    }

    @Test
    void aHitPlacesTheRememberedBoxesOnTheFramesSize() {
        SceneCache cache = cache();
        seen(cache, "a", 1);
        AnswerCache.Lookup half = cache.lookup("a", scene(1), 320, 240, MODEL, PARAMS, System.nanoTime());
        assertEquals(new Box(5, 10, 15, 30), half.answer().get(0).box());
    }

    @Test
    void aMissHasNoAnswerAndAHitNothingToRemember() {
        SceneCache cache = cache();
        AnswerCache.Lookup miss = look(cache, "a", 1);
        assertThrows(IllegalStateException.class, miss::answer);
        miss.remember(PERSON, 640, 480);
        AnswerCache.Lookup hit = look(cache, "a", 1);
        assertThrows(IllegalStateException.class, () -> hit.remember(PERSON, 640, 480));
    }
}
