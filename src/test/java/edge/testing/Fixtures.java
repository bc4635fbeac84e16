package edge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only fixtures in ../shared: models, sample images and coco128. Never copied into the project. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path shared() {
        return Path.of(System.getProperty("edge.shared.dir", "../shared"));
    }

    public static Path model(String file) {
        return shared().resolve("models").resolve(file);
    }

    public static final String DYNAMIC = "yolov8n-int8-dynamic.onnx";
    public static final String QDQ = "yolov8n-int8-qdq.onnx";
    public static final String YOLO11_320 = "yolo11n-int8-320.onnx";

    public static Path image(String file) {
        return shared().resolve("data").resolve("images").resolve(file);
    }

    public static byte[] imageBytes(String file) {
        try {
            return Files.readAllBytes(image(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path coco128() {
        return shared().resolve("data").resolve("coco128");
    }
}
