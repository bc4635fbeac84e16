package edge.config;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** edge-config/KEYS.md is the code's key list: it fails when a mapping changed and the file was not regenerated. */
class ConfigKeysTest {

    private static final Path KEYS = Path.of("edge-config/KEYS.md");

    @Test
    void keysMdIsGeneratedFromTheConfigMappings() throws IOException {
        String generated = ConfigKeys.markdown();
        if (Boolean.getBoolean("edge.keys.write")) {
            Files.writeString(KEYS, generated);
        }
        String onDisk = Files.exists(KEYS) ? Files.readString(KEYS) : "";
        assertEquals(generated, onDisk, "edge-config/KEYS.md is out of date with src/main/java/edge/config: "
                + "regenerate it with mvn -B test -Dtest=ConfigKeysTest -Dedge.keys.write=true");
    }

    @Test
    void everyKeyHasAMeaningAndPlaceholdersMatchConcreteNames() {
        for (ConfigKeys.Key key : ConfigKeys.all()) {
            assertFalse(key.meaning().isBlank(), key.name() + " has no javadoc in " + key.source());
        }
        assertTrue(ConfigKeys.knows("edge.cameras.door.zones.entrance"));
        assertTrue(ConfigKeys.knows("edge.registry.canary.bus.expect"));
        assertTrue(ConfigKeys.knows("edge.admin.key"));
        assertTrue(ConfigKeys.knows("edge.ui.samples"));
        assertFalse(ConfigKeys.knows("edge.cameras.door.zone.entrance"));
        assertFalse(ConfigKeys.knows("edge.detect.confidence"));
        assertFalse(ConfigKeys.knows("edge.cameras.url"));
    }
}
