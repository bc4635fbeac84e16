package edge.model;

import edge.testing.Fixtures;
import edge.testing.TinyOnnx;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Loading real and synthetic ONNX files: the contract is read from the model, anything else is refused clearly. */
class ModelLoaderTest {

    private final ModelLoader loader = new ModelLoader(1);

    @TempDir
    Path dir;

    @Test
    void readsTheContractOfTheSharedModels() throws Exception {
        LoadedModel v8 = loader.load(Fixtures.model(Fixtures.DYNAMIC), Optional.empty());
        assertEquals("images", v8.contract().inputName());
        assertEquals(640, v8.contract().inputWidth());
        assertEquals(640, v8.contract().inputHeight());
        assertEquals(8400, v8.contract().anchors());
        assertEquals(80, v8.contract().numClasses());
        assertEquals("person", v8.contract().classNames().get(0));
        assertEquals("toothbrush", v8.contract().classNames().get(79));
        assertEquals("yolov8n-int8-dynamic", v8.info().name());
        assertEquals("8.4.115", v8.info().version());
        assertEquals("83de8f0d2cd521e00ae2b138c340a03dece35b060b3898509bdc69afff417312", v8.info().sha256());
        v8.retire();

        LoadedModel v11 = loader.load(Fixtures.model(Fixtures.YOLO11_320), Optional.of("store-fast"));
        assertEquals(320, v11.contract().inputWidth());
        assertEquals(2100, v11.contract().anchors());
        assertEquals("store-fast", v11.info().name());
        v11.retire();
    }

    @Test
    void aThreeClassModelLoadsWithItsOwnNames() throws Exception {
        Path file = TinyOnnx.reshapeDetector(dir, 28, 7, "{0: 'bolt', 1: \"o'ring\", 2: 'nut'}");
        LoadedModel model = loader.load(file, Optional.empty());
        assertEquals(List.of("bolt", "o'ring", "nut"), model.contract().classNames());
        assertEquals(28, model.contract().inputWidth());
        assertEquals(3 * 28 * 28 / 7, model.contract().anchors());
        model.retire();
    }

    @Test
    void aValidOnnxFileThatIsNotADetectorIsRefusedWithWhatWasFound() {
        Path file = TinyOnnx.identity(dir, 1, 3, 64, 64);
        ModelRejected e = assertThrows(ModelRejected.class, () -> loader.load(file, Optional.empty()));
        assertTrue(e.getMessage().contains("not a YOLO detection model"), e.getMessage());
        assertTrue(e.getMessage().contains("output:FLOAT[1, 3, 64, 64]"), e.getMessage());
    }

    @Test
    void namesThatDoNotMatchTheOutputAreRefused() {
        Path file = TinyOnnx.reshapeDetector(dir, 28, 7, "{0: 'bolt', 1: 'nut'}");
        ModelRejected e = assertThrows(ModelRejected.class, () -> loader.load(file, Optional.empty()));
        assertTrue(e.getMessage().contains("2 classes") && e.getMessage().contains("3 class rows"), e.getMessage());
    }

    @Test
    void aFileThatIsNotOnnxIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("notes.onnx"), "this is not a model");
        ModelRejected e = assertThrows(ModelRejected.class, () -> loader.load(file, Optional.empty()));
        assertTrue(e.getMessage().contains("cannot load notes.onnx as an ONNX model"), e.getMessage());
    }

    @Test
    void aMissingFileIsRefused() {
        ModelRejected e = assertThrows(ModelRejected.class,
                () -> loader.load(dir.resolve("absent.onnx"), Optional.empty()));
        assertTrue(e.getMessage().startsWith("no readable model file"), e.getMessage());
    }

    @Test
    void aRetiredModelClosesOnlyAfterItsLastLease() throws Exception {
        LoadedModel model = loader.load(Fixtures.model(Fixtures.YOLO11_320), Optional.empty());
        LoadedModel.Lease lease = model.tryLease();
        model.retire();
        // Still usable by the request that holds it.
        java.nio.ByteBuffer grey = java.nio.ByteBuffer.allocateDirect(3 * 320 * 320 * 4)
                .order(java.nio.ByteOrder.nativeOrder());
        assertEquals(2100, model.run(grey, 1).anchors());
        lease.close();
        assertEquals(null, model.tryLease(), "a closed model hands out no lease");
        assertFalse(model.contract().batchDynamic());
    }
}
