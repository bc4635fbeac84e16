package edge.registry;

import edge.detect.DetectParams;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.LoadedModel;
import edge.model.ModelLoader;
import edge.registry.PullFailure.Reason;
import edge.testing.Fixtures;
import edge.testing.ModelEdits;
import edge.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelValidatorTest {

    @TempDir
    Path dir;

    private static final ArtifactConfig CONFIG = new ArtifactConfig("yolov8n", "42", List.of(), List.of(), Map.of());

    private static ModelValidator validator(Map<String, Integer> busMinimum) {
        ModelValidator.CanaryImage bus = new ModelValidator.CanaryImage("bus", Fixtures.image("bus.jpg"),
                Fixtures.imageBytes("bus.jpg"), busMinimum);
        return new ModelValidator(new ModelLoader(2), List.of(bus),
                new ImageDecoder(new ImageLimits(20_000_000, 40_000_000)), new DetectParams(0.25f, 0.45f, 300, Set.of()));
    }

    @Test
    void aGoodModelPassesTheCanaryAndServesUnderTheArtifactsNameAndVersion() throws PullFailure {
        LoadedModel model = validator(Map.of("person", 3, "bus", 1)).validate(Fixtures.model(Fixtures.DYNAMIC), CONFIG);
        try {
            assertEquals("yolov8n", model.info().name());
            assertEquals("42", model.info().version());
        } finally {
            model.retire();
        }
    }

    @Test
    void aModelThatLoadsButFindsNothingFailsTheCanary() {
        Path broken = ModelEdits.scaleScores(Fixtures.model(Fixtures.DYNAMIC), dir.resolve("broken.onnx"), 0.01f);
        PullFailure e = assertThrows(PullFailure.class,
                () -> validator(Map.of("person", 3, "bus", 1)).validate(broken, CONFIG));
        assertEquals(Reason.CANARY, e.reason());
        assertTrue(e.getMessage().contains("bus: bus 0 < 1") && e.getMessage().contains("person 0 < 3"),
                e.getMessage());
    }

    @Test
    void theArtifactsOwnExpectationsAreCheckedToo() {
        ArtifactConfig demanding = new ArtifactConfig("yolov8n", "42", List.of(), List.of(),
                Map.of("bus", Map.of("person", 50)));
        PullFailure e = assertThrows(PullFailure.class, () -> validator(Map.of()).validate(
                Fixtures.model(Fixtures.DYNAMIC), demanding));
        assertEquals(Reason.CANARY, e.reason());
        assertTrue(e.getMessage().contains("< 50"), e.getMessage());
    }

    @Test
    void aConfigThatDescribesAnotherModelIsRefused() {
        ArtifactConfig classes = new ArtifactConfig("m", "1", List.of("cat", "dog"), List.of(), Map.of());
        assertEquals(Reason.CONFIG_MISMATCH, assertThrows(PullFailure.class,
                () -> validator(Map.of()).validate(Fixtures.model(Fixtures.DYNAMIC), classes)).reason());
        ArtifactConfig size = new ArtifactConfig("m", "1", List.of(), List.of(320, 320), Map.of());
        PullFailure e = assertThrows(PullFailure.class,
                () -> validator(Map.of()).validate(Fixtures.model(Fixtures.DYNAMIC), size));
        assertEquals(Reason.CONFIG_MISMATCH, e.reason());
        assertTrue(e.getMessage().contains("[640, 640]"), e.getMessage());
    }

    @Test
    void filesThatAreNotYoloModelsAreRefusedWithTheRightReason() throws IOException {
        Path garbage = Files.write(dir.resolve("garbage.onnx"), "this is not a model".getBytes());
        assertEquals(Reason.NOT_ONNX, assertThrows(PullFailure.class,
                () -> validator(Map.of()).validate(garbage, CONFIG)).reason());
        Path identity = TinyOnnx.identity(dir, 1, 3, 8, 8);
        assertEquals(Reason.NOT_YOLO, assertThrows(PullFailure.class,
                () -> validator(Map.of()).validate(identity, CONFIG)).reason());
    }
}
