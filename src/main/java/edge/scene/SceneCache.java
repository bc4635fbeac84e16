package edge.scene;

import edge.config.SceneConfig;
import edge.detect.AnswerCache;
import edge.detect.Box;
import edge.detect.CacheInfo;
import edge.detect.DetectParams;
import edge.detect.Detection;
import edge.image.ImageDecoder;
import edge.model.ModelInfo;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import edge.model.ModelService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Recurring scenes per scope (camera): a bounded LRU set of thumbnails with the detections computed for them.
 * A frame that matches a remembered scene (same model, same parameters, fresh enough, not hit too often in a row)
 * is answered from it; anything else is a miss and the caller runs the model and remembers the result.
 */
@ApplicationScoped
public class SceneCache implements AnswerCache {

    /** One remembered scene: only the cache reads or changes it, under its lock. */
    private static final class Scene {
        final String id;
        Thumbnail thumbnail;
        String modelSha;
        DetectParams params;
        List<Detection> detections;
        int width;
        int height;
        long created;
        int consecutiveHits;

        Scene(String id) {
            this.id = id;
        }
    }

    /** A frame's visit: the answer on a hit, or what {@link #remember} needs after a miss. */
    private final class Visit implements AnswerCache.Lookup {
        private final String scope;
        private final Thumbnail frame;
        private final String modelSha;
        private final DetectParams params;
        private final Scene matched;
        private final List<Detection> answer;
        private final CacheInfo info;

        private Visit(String scope, Thumbnail frame, ModelInfo model, DetectParams params, Scene matched,
                      List<Detection> answer, CacheInfo info) {
            this.scope = scope;
            this.frame = frame;
            this.modelSha = model.sha256();
            this.params = params;
            this.matched = matched;
            this.answer = answer;
            this.info = info;
        }

        @Override
        public boolean hit() {
            return answer != null;
        }

        @Override
        public List<Detection> answer() {
            requireHit(true);
            return answer;
        }

        @Override
        public CacheInfo info() {
            requireHit(true);
            return info;
        }

        @Override
        public CacheInfo remember(List<Detection> detections, int width, int height) {
            requireHit(false);
            return SceneCache.this.remember(this, detections, width, height);
        }

        private void requireHit(boolean expected) {
            if (hit() != expected) {
                throw new IllegalStateException(expected ? "a miss has no cached answer"
                        : "a hit has nothing to remember");
            }
        }
    }

    private final SceneConfig config;
    private final SceneMatcher matcher;
    private final SceneClock clock;
    private final long ttlNanos;
    private final Map<String, LinkedHashMap<String, Scene>> scopes;
    private long nextId;

    private final Counter hits;
    private final Counter misses;
    private final Counter rechecks;
    private final Timer matching;
    private final MultiGauge scenesPerScope;

    /** @param clock the time scenes are aged by ({@link SystemSceneClock} in production) */
    public SceneCache(SceneConfig config, MeterRegistry registry, SceneClock clock) {
        this.config = config;
        this.clock = clock;
        this.matcher = new SceneMatcher(config.minCorrelation(), config.maxBlockDifference(),
                config.maxFingerprintBits());
        this.ttlNanos = config.ttl().toNanos();
        this.scopes = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, LinkedHashMap<String, Scene>> eldest) {
                return size() > config.maxScopes();
            }
        };
        this.hits = Counter.builder("edge.cache.lookups").tag("result", "hit").register(registry);
        this.misses = Counter.builder("edge.cache.lookups").tag("result", "miss").register(registry);
        this.rechecks = Counter.builder("edge.cache.lookups").tag("result", "recheck")
                .description("Matches answered afresh because the scene was hit edge.cache.max-hits times in a row")
                .register(registry);
        this.matching = Timer.builder("edge.cache.matching").description("Thumbnail and matching time per lookup")
                .register(registry);
        Gauge.builder("edge.cache.scenes", this, SceneCache::size).description("Scenes remembered, all scopes")
                .register(registry);
        this.scenesPerScope = MultiGauge.builder("edge.cache.scope.scenes")
                .description("Scenes remembered per scope (camera)").register(registry);
        Gauge.builder("edge.cache.scopes", this, c -> c.scopeCount()).description("Scopes (cameras) remembered")
                .register(registry);
    }

    @Override
    public String scope(String camera, Boolean useCache) {
        if (!config.enabled() || Boolean.FALSE.equals(useCache)) {
            return null;
        }
        if (camera != null && !camera.isBlank()) {
            return camera;
        }
        return config.sharedScope() ? "shared" : null;
    }

    @Override
    public AnswerCache.Lookup lookup(String scope, ImageDecoder.Preview preview, ModelInfo model,
                                     DetectParams params, long startNanos) {
        return lookup(scope, Thumbnail.ofGrey(preview.grey()), preview.width(), preview.height(), model, params,
                startNanos);
    }

    /**
     * Looks a frame up among the scenes of its scope, given its thumbnail.
     *
     * @param width      the frame's width, to place remembered boxes on it
     * @param height     its height
     * @param startNanos when the caller began (System.nanoTime), so that matching time includes the thumbnail
     */
    public AnswerCache.Lookup lookup(String scope, Thumbnail frame, int width, int height, ModelInfo model,
                                     DetectParams params, long startNanos) {
        try {
            synchronized (this) {
                LinkedHashMap<String, Scene> scenes = scopes.get(scope);
                if (scenes == null) {
                    misses.increment();
                    return miss(scope, frame, model, params, null);
                }
                long now = clock.nanos();
                for (Iterator<Scene> it = scenes.values().iterator(); it.hasNext(); ) {
                    Scene s = it.next();
                    if (!s.modelSha.equals(model.sha256()) || now - s.created > ttlNanos) {
                        it.remove(); // another model's answer, or too old to trust
                    }
                }
                List<Scene> newestFirst = new ArrayList<>(scenes.values());
                java.util.Collections.reverse(newestFirst);
                for (Scene s : newestFirst) {
                    if (!s.params.equals(params) || !matcher.compare(s.thumbnail, frame).same()) {
                        continue;
                    }
                    scenes.get(s.id); // touch: most recently used
                    if (s.consecutiveHits >= config.maxHits()) {
                        rechecks.increment();
                        return miss(scope, frame, model, params, s);
                    }
                    s.consecutiveHits++;
                    hits.increment();
                    long age = TimeUnit.NANOSECONDS.toMillis(now - s.created);
                    return new Visit(scope, frame, model, params, s,
                            scaled(s.detections, s.width, s.height, width, height), new CacheInfo(true, age, s.id));
                }
                misses.increment();
                return miss(scope, frame, model, params, null);
            }
        } finally {
            matching.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
        }
    }

    /** @param recheck the scene that matched but is due for a fresh answer, else null */
    private Visit miss(String scope, Thumbnail frame, ModelInfo model, DetectParams params, Scene recheck) {
        return new Visit(scope, frame, model, params, recheck, null, null);
    }

    /** Remembers fresh detections for a frame: refreshes the re-checked scene, or adds a new one. */
    private synchronized CacheInfo remember(Visit lookup, List<Detection> detections, int width, int height) {
        String scope = lookup.scope;
        LinkedHashMap<String, Scene> scenes = scopes.computeIfAbsent(scope, k -> new LinkedHashMap<>(16, 0.75f, true));
        Scene s = lookup.matched != null && scenes.containsKey(lookup.matched.id) ? lookup.matched
                : new Scene(scope + "-" + (++nextId));
        s.thumbnail = lookup.frame;
        s.modelSha = lookup.modelSha;
        s.params = lookup.params;
        s.detections = List.copyOf(detections);
        s.width = width;
        s.height = height;
        s.created = clock.nanos();
        s.consecutiveHits = 0;
        scenes.put(s.id, s);
        while (scenes.size() > config.maxScenes()) {
            scenes.remove(scenes.keySet().iterator().next());
        }
        publishPerScope();
        return new CacheInfo(false, 0, s.id);
    }

    /** Forgets every scene: the model changed, so no remembered answer names the model in service. */
    public synchronized void clear() {
        scopes.clear();
        publishPerScope();
    }

    /** One gauge row per remembered scope; rows of forgotten scopes go away (bounded by edge.cache.max-scopes). */
    private void publishPerScope() {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        scopes.forEach((scope, scenes) -> rows.add(MultiGauge.Row.of(Tags.of("scope", scope), scenes.size())));
        scenesPerScope.register(rows, true);
    }

    void onModelSwapped(@Observes ModelService.ModelSwapped swapped) {
        clear();
    }

    public synchronized int size() {
        return scopes.values().stream().mapToInt(Map::size).sum();
    }

    public synchronized int scopeCount() {
        return scopes.size();
    }

    public synchronized int size(String scope) {
        LinkedHashMap<String, Scene> scenes = scopes.get(scope);
        return scenes == null ? 0 : scenes.size();
    }

    /** Boxes found on a frame of one size, placed on a frame of another size of the same scene. */
    static List<Detection> scaled(List<Detection> detections, int fromWidth, int fromHeight, int toWidth,
                                  int toHeight) {
        if (fromWidth == toWidth && fromHeight == toHeight) {
            return detections;
        }
        float sx = (float) toWidth / fromWidth;
        float sy = (float) toHeight / fromHeight;
        return detections.stream().map(d -> new Detection(d.classId(), d.label(), d.confidence(),
                new Box(d.box().x1() * sx, d.box().y1() * sy, d.box().x2() * sx, d.box().y2() * sy))).toList();
    }
}
