package edge.camera;

import edge.retry.Backoff;
import edge.detect.Detection;
import edge.detect.DetectionResult;
import edge.detect.DetectOptions;
import io.smallrye.mutiny.operators.multi.processors.BroadcastProcessor;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** One configured camera: where its frames come from, how it counts, and what it saw last. */
public final class Camera {

    /** ok: the last frame was counted; waiting: no frame yet; failing: the last attempt failed. */
    public enum Status { WAITING, OK, FAILING }

    private final String id;
    private final String source;
    private final Duration interval;
    private final Duration maxBackoff;
    private final boolean cache;
    private final DetectOptions options;
    private final List<Zone> zones;
    private final FrameSource frames;
    private final BroadcastProcessor<CameraCount> updates = BroadcastProcessor.create();

    private volatile Status status = Status.WAITING;
    private volatile String lastError;
    private volatile Instant lastFrameAt;
    private volatile int failuresInRow;
    private volatile CameraCount latest;
    private volatile byte[] latestFrame;
    private long frameSeq;

    Camera(String id, String source, Duration interval, Duration maxBackoff, boolean cache, DetectOptions options,
           List<Zone> zones, FrameSource frames) {
        this.id = id;
        this.source = source;
        this.interval = interval;
        this.maxBackoff = maxBackoff;
        this.cache = cache;
        this.options = options;
        this.zones = List.copyOf(zones);
        this.frames = frames;
    }

    public String id() {
        return id;
    }

    /** The URL without credentials. */
    public String source() {
        return source;
    }

    public Duration interval() {
        return interval;
    }

    boolean cache() {
        return cache;
    }

    DetectOptions options() {
        return options;
    }

    public List<Zone> zones() {
        return zones;
    }

    FrameSource frames() {
        return frames;
    }

    public Status status() {
        return status;
    }

    public String lastError() {
        return lastError;
    }

    public Instant lastFrameAt() {
        return lastFrameAt;
    }

    public int failuresInRow() {
        return failuresInRow;
    }

    /** The newest counts, or null before the first frame. */
    public CameraCount latest() {
        return latest;
    }

    /** The encoded frame the newest counts are of, or null. */
    public byte[] latestFrame() {
        return latestFrame;
    }

    BroadcastProcessor<CameraCount> updates() {
        return updates;
    }

    /** Records a counted frame and returns its counts; zone counts use each box's bottom-centre. */
    CameraCount counted(DetectionResult result, byte[] frame, Instant at) {
        int width = result.image().width();
        int height = result.image().height();
        Map<String, CameraCount.ZoneCount> zoneCounts = new LinkedHashMap<>();
        for (Zone zone : zones) {
            List<Detection> inside = result.detections().stream()
                    .filter(d -> zone.contains(d.box(), width, height)).toList();
            zoneCounts.put(zone.name(), new CameraCount.ZoneCount(DetectionResult.countByClass(inside), inside.size()));
        }
        CameraCount count;
        synchronized (this) {
            count = new CameraCount(id, at, 0, ++frameSeq, result.image(), result.counts(), result.total(),
                    result.report(), zoneCounts, result.detections(), result.model(), result.cache());
        }
        latest = count;
        latestFrame = frame;
        lastFrameAt = at;
        lastError = null;
        failuresInRow = 0;
        status = Status.OK;
        return count;
    }

    /** Records a failed attempt; the message says why (HTTP status, timeout, undecodable frame...). */
    void failed(String error) {
        lastError = error;
        failuresInRow++;
        status = Status.FAILING;
    }

    /** The frame was fine but could not be counted now (no model yet, service overloaded): not the camera's fault. */
    void skipped(String why) {
        lastError = why;
        if (latest == null) {
            status = Status.WAITING;
        }
    }

    /** When to try again: the interval while it works, doubling up to max-backoff while it fails. */
    Duration nextDelay() {
        if (failuresInRow == 0) {
            return interval;
        }
        // The first failure waits twice the interval: the interval itself was the wait "after failure 0".
        return new Backoff(interval, maxBackoff).after(failuresInRow + 1);
    }
}
