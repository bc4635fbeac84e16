package edge.detect;

import edge.image.ImageDecoder;
import edge.model.ModelInfo;

import java.util.List;

/**
 * What the pipeline asks of the cache of recent answers per camera ({@code edge.scene.SceneCache}): whether a request
 * uses it, and one lookup per frame. Declared here, beside its one caller, so that edge.detect does not depend on the
 * cache's package; the cache depends on edge.detect for the answers it keeps.
 */
public interface AnswerCache {

    /** The scope of a request, or null when the cache does not apply to it. */
    String scope(String camera, Boolean useCache);

    /**
     * Looks a frame up among the answers remembered for its scope.
     *
     * @param preview    a reduced-scale grey decode of the frame, with the frame's full size
     * @param startNanos when the caller began (System.nanoTime), for the cache's matching-time metric
     */
    Lookup lookup(String scope, ImageDecoder.Preview preview, ModelInfo model, DetectParams params, long startNanos);

    /**
     * One frame's visit to the cache. On a hit it holds the remembered answer, placed on the frame; on a miss the
     * caller runs the model and hands the detections to {@link #remember}.
     */
    interface Lookup {

        boolean hit();

        /** The remembered detections, placed on this frame. Only on a hit. */
        List<Detection> answer();

        /** What the response says about the cache. Only on a hit. */
        CacheInfo info();

        /**
         * Remembers the model's detections for this frame (only after a miss) and says so for the response.
         *
         * @param width  the width of the frame the detections were found on
         * @param height its height
         */
        CacheInfo remember(List<Detection> detections, int width, int height);
    }
}
