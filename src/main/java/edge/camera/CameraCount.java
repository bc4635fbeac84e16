package edge.camera;

import com.fasterxml.jackson.annotation.JsonInclude;
import edge.detect.CacheInfo;
import edge.detect.Detection;
import edge.detect.DetectionResult;
import edge.model.ModelInfo;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The latest counts of a camera: what {@code GET /count?camera=} answers and what its event stream sends.
 *
 * @param ageMs    how old the frame was when this was answered
 * @param frameSeq the number of the frame since the service started (grows by one per counted frame)
 */
public record CameraCount(String camera, Instant timestamp, long ageMs, long frameSeq,
                          DetectionResult.ImageSize image, Map<String, Integer> counts, int total, String report,
                          Map<String, ZoneCount> zones, List<Detection> detections, ModelInfo model,
                          @JsonInclude(JsonInclude.Include.NON_NULL) CacheInfo cache) {

    /** The counts of one zone. */
    public record ZoneCount(Map<String, Integer> counts, int total) {
    }

    /** The same counts, aged as of {@code now}. */
    CameraCount at(Instant now) {
        return new CameraCount(camera, timestamp, Math.max(0, now.toEpochMilli() - timestamp.toEpochMilli()),
                frameSeq, image, counts, total, report, zones, detections, model, cache);
    }
}
