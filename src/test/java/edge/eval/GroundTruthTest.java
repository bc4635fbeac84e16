package edge.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edge.detect.Box;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {

    @TempDir
    Path dir;

    @Test
    void convertsNormalisedCentresToPixelCorners() throws IOException {
        Path file = Files.writeString(dir.resolve("img.txt"),
                "0 0.5 0.5 0.2 0.4\n\n  \n2 0.1 0.2 0.2 0.2\n45 0.25 0.75 0.5 0.5 \n");
        List<GroundTruth> labels = GroundTruth.readYolo(file, 640, 480);
        assertEquals(3, labels.size());
        // cx 320, cy 240, w 128, h 192
        assertEquals(new GroundTruth(0, new Box(256, 144, 384, 336)), labels.get(0));
        // cx 64, cy 96, w 128, h 96
        assertEquals(2, labels.get(1).classId());
        Box b = labels.get(1).box();
        assertEquals(0f, b.x1(), 1e-4);
        assertEquals(48f, b.y1(), 1e-4);
        assertEquals(128f, b.x2(), 1e-4);
        assertEquals(144f, b.y2(), 1e-4);
        // cx 160, cy 360, w 320, h 240
        assertEquals(new GroundTruth(45, new Box(0, 240, 320, 480)), labels.get(2));
    }

    @Test
    void missingFileIsAnImageWithoutObjects() throws IOException {
        assertTrue(GroundTruth.readYolo(dir.resolve("absent.txt"), 640, 480).isEmpty());
    }

    @Test
    void emptyFileIsAnImageWithoutObjects() throws IOException {
        Path file = Files.writeString(dir.resolve("empty.txt"), "");
        assertEquals(List.of(), GroundTruth.readYolo(file, 640, 480));
    }

    @Test
    void shortLineIsRefusedWithItsLineNumber() throws IOException {
        Path file = Files.writeString(dir.resolve("bad.txt"), "0 0.5 0.5 0.2 0.4\n1 0.5 0.5\n");
        IOException e = assertThrows(IOException.class, () -> GroundTruth.readYolo(file, 640, 480));
        assertTrue(e.getMessage().contains(":2:"), e.getMessage());
    }
}
