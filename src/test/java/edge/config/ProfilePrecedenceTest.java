package edge.config;

import io.smallrye.config.EnvConfigSource;
import io.smallrye.config.PropertiesConfigSource;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import org.eclipse.microprofile.config.spi.ConfigSource;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The precedence a fleet relies on, in a real SmallRye Config with the sources as Quarkus builds them when
 * {@code quarkus.config.locations} is given by the environment (profile at 300, like the environment) or by a system
 * property (profile at 400): profile &lt; environment &lt; system properties. Without the interceptor the profile
 * wins both ties (the first two tests fail).
 */
class ProfilePrecedenceTest {

    private static final String PROFILE = "PropertiesConfigSource[source=file:/etc/edge/site/site.properties]";

    private static SmallRyeConfig config(int profileOrdinal, Map<String, String> profile, Map<String, String> env,
                                         Map<String, String> sys) {
        ConfigSource envSource = new EnvConfigSource(env, 300);
        ConfigSource sysSource = new PropertiesConfigSource(sys, "SysPropConfigSource", 400);
        return new SmallRyeConfigBuilder().addDefaultInterceptors().withProfile("prod")
                .withSources(new PropertiesConfigSource(Map.of("edge.registry.tag", "from-app",
                        "edge.detect.conf", "0.25"), "application.properties", 250))
                // Added first, so that it wins a tie of ordinals as the profile does in Quarkus (without the interceptor).
                .withSources(new PropertiesConfigSource(profile, PROFILE, profileOrdinal), envSource, sysSource)
                .withInterceptors(new ProfilePrecedence(envSource, sysSource))
                .build();
    }

    private static String tag(SmallRyeConfig config) {
        return config.getValue("edge.registry.tag", String.class);
    }

    @Test
    void environmentBeatsAProfileNamedByTheEnvironment() {
        SmallRyeConfig config = config(300, Map.of("edge.registry.tag", "stable", "edge.model.store", "/var/lib/edge"),
                Map.of("EDGE_REGISTRY_TAG", "canary"), Map.of());
        assertEquals("canary", tag(config));
        assertEquals("/var/lib/edge", config.getValue("edge.model.store", String.class), "the profile still counts");
        assertEquals("0.25", config.getValue("edge.detect.conf", String.class), "application.properties below");
    }

    @Test
    void systemPropertiesAndEnvironmentBeatAProfileNamedByASystemProperty() {
        assertEquals("canary", tag(config(400, Map.of("edge.registry.tag", "stable"), Map.of(),
                Map.of("edge.registry.tag", "canary"))));
        assertEquals("from-env", tag(config(400, Map.of("edge.registry.tag", "stable"),
                Map.of("EDGE_REGISTRY_TAG", "from-env"), Map.of())));
        assertEquals("from-sys", tag(config(300, Map.of("edge.registry.tag", "stable"),
                Map.of("EDGE_REGISTRY_TAG", "from-env"), Map.of("edge.registry.tag", "from-sys"))));
    }

    @Test
    void theProfileBeatsApplicationPropertiesAndWinsWhenNothingOutsideSetsTheKey() {
        assertEquals("stable", tag(config(300, Map.of("edge.registry.tag", "stable"), Map.of("OTHER", "x"), Map.of())));
    }

    @Test
    void aProfiledKeyInTheProfileLosesToThePlainKeyOutside() {
        assertEquals("canary", tag(config(300, Map.of("%prod.edge.registry.tag", "stable"),
                Map.of("EDGE_REGISTRY_TAG", "canary"), Map.of())));
        assertEquals("stable", tag(config(300, Map.of("%prod.edge.registry.tag", "stable"), Map.of(), Map.of())));
    }

    @Test
    void aProfileThatSetsItsOwnOrdinalIsLeftAsItAsked() {
        // config_ordinal=350 in the file: deliberately above the environment, below system properties.
        assertEquals("stable", tag(config(350, Map.of("edge.registry.tag", "stable"),
                Map.of("EDGE_REGISTRY_TAG", "canary"), Map.of())));
        assertEquals("sys", tag(config(350, Map.of("edge.registry.tag", "stable"),
                Map.of("EDGE_REGISTRY_TAG", "canary"), Map.of("edge.registry.tag", "sys"))));
    }
}
