package edge.web;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTestProfile;

import java.util.Map;

/** The service with {@code edge.ui.samples} set to the shared sample images (bus.jpg, zidane.jpg). */
public class WithSamples implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("edge.ui.samples", Fixtures.image("bus.jpg").getParent().toString());
    }
}
