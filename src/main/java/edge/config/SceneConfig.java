package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The scene cache: answers recurring scenes of fixed cameras without inference. */
@ConfigMapping(prefix = "edge.cache")
public interface SceneConfig {

    /** Off switch for the whole cache. When on, requests that name a camera use it (unless they say cache=false). */
    @WithDefault("true")
    boolean enabled();

    /** Whether requests without a camera share one scope ("shared") and use the cache too. */
    @WithDefault("false")
    boolean sharedScope();

    /** Scenes remembered per camera (least recently used goes first). */
    @WithDefault("8")
    int maxScenes();

    /** Cameras (scopes) remembered at once (least recently used goes first). */
    @WithDefault("256")
    int maxScopes();

    /** A scene older than this is detected afresh. */
    @WithDefault("60s")
    Duration ttl();

    /** After this many consecutive hits a scene is detected afresh once (an object that stands still, slow change). */
    @WithDefault("30")
    int maxHits();

    /** Normalised cross-correlation of the 64x64 thumbnails at or above which a frame may be the cached scene. */
    @WithDefault("0.95")
    double minCorrelation();

    /**
     * Largest mean absolute difference of any 8x8 block (in standard deviations of the frame) for a hit. The one
     * test that separates noise from change: static frames reach 0.097, frames with a 1.5-5 % object pasted or
     * removed at least 0.233 (SceneCacheBenchmark, BENCHMARKS.md).
     */
    @WithDefault("0.15")
    double maxBlockDifference();

    /** Most differing bits of the 64-bit fingerprints for a scene to be compared at all. */
    @WithDefault("12")
    int maxFingerprintBits();
}
