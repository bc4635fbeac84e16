package edge.registry;

import edge.registry.oci.Descriptor;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelArtifactTest {

    private static final String D = "sha256:" + "a".repeat(64);
    private static final Descriptor CONFIG = new Descriptor(ModelArtifact.CONFIG_MEDIA_TYPE, "sha256:" + "b".repeat(64),
            120, Map.of());
    private static final Descriptor LAYER = new Descriptor(ModelArtifact.ONNX_MEDIA_TYPE, "sha256:" + "c".repeat(64),
            3_000_000, Map.of(ModelArtifact.TITLE, "yolov8n.onnx"));

    @Test
    void aPublishedManifestReadsBack() throws ArtifactRejected {
        byte[] manifest = ModelArtifact.manifest(CONFIG, LAYER, Map.of(ModelArtifact.VERSION, "7"));
        ModelArtifact artifact = ModelArtifact.parse(D, manifest);
        assertEquals(CONFIG, artifact.config());
        assertEquals(LAYER, artifact.model());
        assertEquals("yolov8n.onnx", artifact.fileName());
        String json = new String(manifest, StandardCharsets.UTF_8);
        assertTrue(json.contains("\"artifactType\":\"application/vnd.edge.model.v1\""), json);
    }

    @Test
    void otherArtifactsAreRefusedWithWhatTheyAre() {
        String image = """
                {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",
                 "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"%s","size":2},
                 "layers":[]}""".formatted(CONFIG.digest());
        ArtifactRejected e = assertThrows(ArtifactRejected.class,
                () -> ModelArtifact.parse(D, image.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("not a model"), e.getMessage());
        assertThrows(ArtifactRejected.class, () -> ModelArtifact.parse(D, "[]".getBytes(StandardCharsets.UTF_8)));
        assertThrows(ArtifactRejected.class, () -> ModelArtifact.parse(D, "{".getBytes(StandardCharsets.UTF_8)));
        Descriptor untitled = new Descriptor(LAYER.mediaType(), LAYER.digest(), LAYER.size(), Map.of());
        assertThrows(ArtifactRejected.class, () -> ModelArtifact.parse(D, ModelArtifact.manifest(CONFIG, untitled,
                Map.of())));
        Descriptor traversal = new Descriptor(LAYER.mediaType(), LAYER.digest(), LAYER.size(),
                Map.of(ModelArtifact.TITLE, "../../etc/passwd"));
        assertThrows(ArtifactRejected.class, () -> ModelArtifact.parse(D, ModelArtifact.manifest(CONFIG, traversal,
                Map.of())));
    }

    @Test
    void theConfigRoundTripsAndNeedsANameAndVersion() throws ArtifactRejected {
        ArtifactConfig config = new ArtifactConfig("yolov8n", "2026.11", List.of("person", "bus"), List.of(640, 640),
                Map.of("bus", Map.of("person", 3)));
        assertEquals(config, ArtifactConfig.parse(config.toJson()));
        assertThrows(ArtifactRejected.class, () -> ArtifactConfig.parse("{\"name\":\"x\"}".getBytes()));
        assertThrows(ArtifactRejected.class, () -> ArtifactConfig.parse(
                "{\"name\":\"x\",\"version\":\"1\",\"inputSize\":[640]}".getBytes()));
        assertThrows(ArtifactRejected.class, () -> ArtifactConfig.parse("nope".getBytes()));
    }
}
