package edge.camera;

import edge.testing.CameraServer;
import edge.testing.Fixtures;
import edge.testing.Ports;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A box with eight cameras: snapshots, an MJPEG stream, a folder, and five that fail in different ways. */
public class CamerasProfile implements QuarkusTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        return List.of(new TestResourceEntry(FakeCameras.class));
    }

    public static class FakeCameras implements QuarkusTestResourceLifecycleManager {
        private CameraServer server;

        @Override
        public Map<String, String> start() {
            server = CameraServer.start();
            Map<String, String> config = new HashMap<>();
            camera(config, "bus", server.url("/bus.jpg").toString());
            config.put("edge.cameras.bus.zones.left", "0,0 0.5,0 0.5,1 0,1");
            config.put("edge.cameras.bus.zones.door", "0.6,0.5 1,0.5 1,1 0.6,1");
            camera(config, "stream", server.url("/mjpeg").toString());
            camera(config, "folder", Fixtures.image("bus.jpg").getParent().toAbsolutePath().toUri().toString());
            config.put("edge.cameras.folder.cache", "false");
            camera(config, "broken", server.url("/broken").toString());
            camera(config, "garbage", server.url("/garbage").toString());
            camera(config, "rtsp", "rtsp://127.0.0.1:" + Ports.closed() + "/live");
            camera(config, "hanging", server.url("/hang-snapshot").toString());
            camera(config, "stalled", server.url("/hang-mjpeg").toString());
            config.put("edge.cameras.hanging.timeout", "1s");
            config.put("edge.cameras.stalled.timeout", "1s");
            return config;
        }

        private static void camera(Map<String, String> config, String id, String url) {
            config.put("edge.cameras." + id + ".url", url);
            config.put("edge.cameras." + id + ".interval", "400ms");
            config.put("edge.cameras." + id + ".max-backoff", "1s");
        }

        @Override
        public void stop() {
            if (server != null) {
                server.close();
            }
        }
    }
}
