package edge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithParentName;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** Cameras the service polls itself: {@code edge.cameras.<id>.url} and friends. */
@ConfigMapping(prefix = "edge.cameras")
public interface CamerasConfig {

    @WithParentName
    Map<String, Camera> all();

    interface Camera {
        /**
         * Where frames come from: {@code http(s)://} answering a JPEG snapshot or an MJPEG stream
         * ({@code multipart/x-mixed-replace}), {@code file:///path} to an image or a folder of images replayed in
         * order, or {@code rtsp://} when the OpenCV in use has a video backend that opens it.
         */
        String url();

        /** Time between frames. */
        @WithDefault("2s")
        Duration interval();

        /** Only these classes are counted (comma-separated); default: all. */
        Optional<String> classes();

        /** Confidence threshold; default: edge.detect.conf. */
        Optional<Float> conf();

        /** HTTP basic auth (or put them in the URL). */
        Optional<String> username();

        /** HTTP basic auth password; best given as env {@code EDGE_CAMERAS_<ID>_PASSWORD} (from a Secret). */
        Optional<String> password();

        /** Connect and read timeout of one frame. */
        @WithDefault("10s")
        Duration timeout();

        /** Longest wait between attempts while the camera fails (the wait doubles from interval). */
        @WithDefault("60s")
        Duration maxBackoff();

        /** Whether frames of this camera go through the scene cache (scope: the camera id). */
        @WithDefault("true")
        boolean cache();

        /**
         * Named zones as polygons in normalised coordinates, {@code x,y x,y x,y ...} (0..1, origin top-left):
         * {@code edge.cameras.door.zones.left=0,0 0.5,0 0.5,1 0,1}.
         */
        Map<String, String> zones();
    }
}
