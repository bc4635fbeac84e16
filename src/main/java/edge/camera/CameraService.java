package edge.camera;

import edge.config.CamerasConfig;
import edge.config.ImageConfig;
import edge.detect.DetectOptions;
import edge.detect.DetectionPipeline;
import edge.image.ImageRejected;
import edge.model.ModelUnavailable;
import edge.scheduler.Overloaded;
import edge.scheduler.QueueTimeout;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Polls the configured cameras and counts their frames through the one detection pipeline (scene cache and
 * scheduler included, the camera id as the cache scope). A failing camera is retried with backoff and marked
 * failing; it never holds up the others.
 */
@ApplicationScoped
public class CameraService {

    private static final Logger LOG = Logger.getLogger(CameraService.class);

    private final CamerasConfig config;
    private final DetectionPipeline pipeline;
    private final CameraMetrics metrics;
    private final long maxBytes;
    private final Clock clock = Clock.systemUTC();
    private final Map<String, Camera> cameras = new LinkedHashMap<>();
    private ScheduledExecutorService executor;

    public CameraService(CamerasConfig config, DetectionPipeline pipeline, ImageConfig image, MeterRegistry metrics) {
        this.config = config;
        this.pipeline = pipeline;
        this.metrics = new CameraMetrics(metrics);
        this.maxBytes = image.maxBytes().asLongValue();
    }

    void onStart(@Observes StartupEvent event) {
        if (config.all().isEmpty()) {
            return;
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        config.all().forEach((id, camera) -> cameras.put(id, create(id, camera, http)));
        // Threads mostly wait on the network; one per camera (up to 8) so a hanging camera cannot hold up the others.
        // Inference itself is bounded by the scheduler, whatever the number of camera threads.
        ScheduledThreadPoolExecutor pool = new ScheduledThreadPoolExecutor(Math.min(8, cameras.size()), runnable -> {
            Thread thread = new Thread(runnable, "edge-camera");
            thread.setDaemon(true);
            return thread;
        });
        // At shutdown, frames being counted finish; frames not due yet are not started.
        pool.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor = pool;
        for (Camera camera : cameras.values()) {
            metrics.register(camera);
            // Spread the first frames over one interval so cameras do not all fire at once.
            long first = ThreadLocalRandom.current().nextLong(Math.max(1, camera.interval().toMillis()));
            executor.schedule(() -> tick(camera), first, TimeUnit.MILLISECONDS);
            LOG.infof("Camera %s: %s every %s, %d zone(s)", camera.id(), camera.source(), camera.interval(),
                    camera.zones().size());
        }
    }

    void onStop(@Observes ShutdownEvent event) throws InterruptedException {
        if (executor != null) {
            // Let a frame being counted finish; a camera blocked on a slow source is interrupted after that.
            executor.shutdown();
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        }
        cameras.values().forEach(c -> c.frames().close());
    }

    private Camera create(String id, CamerasConfig.Camera camera, HttpClient http) {
        if (!id.matches("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")) {
            throw new IllegalArgumentException("camera id '" + id + "' must be letters, digits, '.', '_' or '-'");
        }
        URI url;
        try {
            url = new URI(camera.url().trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("edge.cameras." + id + ".url is not a URL: " + e.getMessage(), e);
        }
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        String shown = withoutCredentials(url);
        FrameSource frames = switch (scheme) {
            case "http", "https" -> new HttpSnapshotSource(http, URI.create(shown), authorization(url, camera),
                    camera.timeout(), maxBytes);
            case "file" -> new FileSource(Path.of(url), maxBytes);
            case "rtsp", "rtsps" -> new VideoCaptureSource(url.toString());
            default -> throw new IllegalArgumentException("edge.cameras." + id + ".url: unsupported scheme '"
                    + scheme + "' (http, https, file, rtsp)");
        };
        List<Zone> zones = new ArrayList<>();
        camera.zones().forEach((name, polygon) -> zones.add(Zone.parse(name, polygon)));
        DetectOptions options = new DetectOptions(camera.conf().orElse(null), null, null,
                camera.classes().map(DetectOptions::splitClasses).orElse(List.of()));
        return new Camera(id, shown, camera.interval(), camera.maxBackoff(), camera.cache(), options, zones, frames);
    }

    private static Optional<String> authorization(URI url, CamerasConfig.Camera camera) {
        String user = camera.username().orElse(null);
        String password = camera.password().orElse("");
        if (user == null && url.getUserInfo() != null) {
            String[] parts = url.getUserInfo().split(":", 2);
            user = parts[0];
            password = parts.length > 1 ? parts[1] : "";
        }
        if (user == null) {
            return Optional.empty();
        }
        return Optional.of("Basic " + Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8)));
    }

    private static String withoutCredentials(URI url) {
        if (url.getUserInfo() == null) {
            return url.toString();
        }
        try {
            return new URI(url.getScheme(), null, url.getHost(), url.getPort(), url.getPath(), url.getQuery(),
                    url.getFragment()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void tick(Camera camera) {
        try {
            count(camera);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Camera %s: unexpected failure", camera.id());
            camera.failed(e.toString());
        } finally {
            try {
                executor.schedule(() -> tick(camera), camera.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException e) {
                // Shutting down.
            }
        }
    }

    private void count(Camera camera) {
        byte[] frame;
        try {
            frame = camera.frames().next();
        } catch (HttpTimeoutException e) {
            fail(camera, "timed out: " + e.getMessage());
            return;
        } catch (java.net.ConnectException e) {
            fail(camera, "cannot connect to the camera (connection refused or unreachable)");
            return;
        } catch (IOException e) {
            fail(camera, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
            return;
        }
        try {
            CameraCount count = camera.counted(pipeline.detect(frame, camera.options(),
                    new DetectionPipeline.Origin(camera.id(), camera.cache())), frame, clock.instant());
            metrics.frame(camera, CameraMetrics.Outcome.COUNTED);
            if (camera.failuresInRow() == 0 && count.frameSeq() > 1) {
                LOG.debugf("Camera %s: %s", camera.id(), count.report());
            }
            metrics.objects(camera, count);
            camera.updates().onNext(count);
        } catch (ImageRejected e) {
            fail(camera, "the frame is not a usable image: " + e.getMessage());
        } catch (ModelUnavailable | Overloaded | QueueTimeout e) {
            metrics.frame(camera, CameraMetrics.Outcome.SKIPPED);
            camera.skipped("frame skipped: " + e.getMessage());
        }
    }

    private void fail(Camera camera, String error) {
        boolean first = camera.failuresInRow() == 0;
        camera.failed(error);
        metrics.frame(camera, CameraMetrics.Outcome.FAILED);
        if (first) {
            LOG.warnf("Camera %s (%s) failed: %s; retrying with backoff up to the max-backoff", camera.id(),
                    camera.source(), error);
        } else {
            LOG.debugf("Camera %s failed again (%d in a row): %s", camera.id(), camera.failuresInRow(), error);
        }
    }

    public Collection<Camera> cameras() {
        return cameras.values();
    }

    public Optional<Camera> camera(String id) {
        return Optional.ofNullable(cameras.get(id));
    }

    /** The latest counts (aged now), then every new count, for one camera. */
    public Multi<CameraCount> updates(Camera camera) {
        CameraCount latest = camera.latest();
        Multi<CameraCount> live = camera.updates().onOverflow().drop();
        return latest == null ? live : Multi.createBy().concatenating()
                .streams(Multi.createFrom().item(latest.at(clock.instant())), live);
    }

    public CameraCount aged(CameraCount count) {
        return count.at(clock.instant());
    }
}
