package edge.eval;

import edge.detect.Box;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One labelled object of a YOLO-format label file, in pixels of its image. */
public record GroundTruth(int classId, Box box) {

    /**
     * Reads {@code class cx cy w h} lines (normalised to 0..1). A missing file is an image with no objects.
     */
    public static List<GroundTruth> readYolo(Path labelFile, int imageWidth, int imageHeight) throws IOException {
        List<GroundTruth> labels = new ArrayList<>();
        if (!Files.exists(labelFile)) {
            return labels;
        }
        int lineNumber = 0;
        for (String line : Files.readAllLines(labelFile)) {
            lineNumber++;
            String[] f = line.trim().split("\\s+");
            if (f.length == 1 && f[0].isEmpty()) {
                continue;
            }
            if (f.length < 5) {
                throw new IOException(labelFile + ":" + lineNumber + ": expected 'class cx cy w h', got '" + line + "'");
            }
            int cls = Integer.parseInt(f[0]);
            double cx = Double.parseDouble(f[1]) * imageWidth;
            double cy = Double.parseDouble(f[2]) * imageHeight;
            double w = Double.parseDouble(f[3]) * imageWidth;
            double h = Double.parseDouble(f[4]) * imageHeight;
            labels.add(new GroundTruth(cls, new Box((float) (cx - w / 2), (float) (cy - h / 2),
                    (float) (cx + w / 2), (float) (cy + h / 2))));
        }
        return labels;
    }
}
