package edge.registry;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The name a fleet serves under must not change with the version: configured, else the repository, else the file. */
class ServedNameTest {

    @Test
    void configuredNameFirst() {
        assertEquals(Optional.of("line-detector"),
                ServedName.of(Optional.of(" line-detector "), Optional.of("vision/factory-yolov8n")));
    }

    @Test
    void elseTheLastSegmentOfTheRepository() {
        assertEquals(Optional.of("factory-yolov8n"),
                ServedName.of(Optional.empty(), Optional.of("vision/factory-yolov8n")));
        assertEquals(Optional.of("yolo"), ServedName.of(Optional.of("  "), Optional.of("yolo")));
    }

    @Test
    void elseEmptyWhichMeansTheFileName() {
        assertEquals(Optional.empty(), ServedName.of(Optional.empty(), Optional.empty()));
        assertEquals(Optional.empty(), ServedName.of(Optional.empty(), Optional.of("vision/")));
    }
}
