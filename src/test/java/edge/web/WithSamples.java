package edge.web;

import edge.testing.Fixtures;
import edge.testing.Ports;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/**
 * The service with {@code edge.ui.samples} set to the shared sample images (bus.jpg, zidane.jpg), and two cameras
 * for the cameras page: "shelf" replays those images every second with a zone, "backdoor" points at a closed port.
 */
public class WithSamples implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        String images = Fixtures.image("bus.jpg").getParent().toAbsolutePath().toString();
        return Map.of("edge.ui.samples", images,
                "edge.cameras.shelf.url", java.nio.file.Path.of(images).toUri().toString(),
                "edge.cameras.shelf.interval", "1s",
                "edge.cameras.shelf.zones.aisle", "0,0.3 0.5,0.3 0.5,1 0,1",
                "edge.cameras.backdoor.url", "http://127.0.0.1:" + Ports.closed() + "/snapshot.jpg",
                "edge.cameras.backdoor.interval", "1s",
                "edge.cameras.backdoor.timeout", "2s");
    }
}
