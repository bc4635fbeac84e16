package edge.eval;

import edge.detect.DetectOptions;
import edge.detect.DetectionPipeline;
import edge.detect.DetectionResult;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * {@code eval FOLDER}: runs the service's own pipeline over a YOLO-format data set ({@code FOLDER/images/*.jpg|png},
 * {@code FOLDER/labels/*.txt}) with validation settings and prints {@code mAP50=... mAP50-95=...}.
 */
@ApplicationScoped
public class EvalCommand {

    /** Ultralytics' validation settings: keep nearly everything, let the ranking decide. */
    static final DetectOptions VALIDATION = new DetectOptions(0.001f, 0.7f, 300, List.of());
    private static final int PROGRESS_EVERY = 16;

    private final DetectionPipeline pipeline;

    public EvalCommand(DetectionPipeline pipeline) {
        this.pipeline = pipeline;
    }

    public int run(List<String> args, PrintStream out) throws IOException {
        if (args.size() != 1) {
            out.println("usage: eval FOLDER   (FOLDER holds images/ and labels/ in YOLO format)");
            return 2;
        }
        Path root = Path.of(args.get(0));
        Path images = root.resolve("images");
        Path labels = root.resolve("labels");
        if (!Files.isDirectory(images)) {
            out.println("no images/ folder in " + root.toAbsolutePath());
            return 2;
        }
        List<Path> files;
        try (Stream<Path> list = Files.list(images)) {
            files = list.filter(EvalCommand::isImage).sorted().toList();
        }
        MeanAveragePrecision map = new MeanAveragePrecision();
        long start = System.nanoTime();
        int done = 0;
        for (Path image : files) {
            DetectionResult result = pipeline.detect(Files.readAllBytes(image), VALIDATION);
            String stem = image.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            map.add(result.detections(), GroundTruth.readYolo(labels.resolve(stem + ".txt"),
                    result.image().width(), result.image().height()));
            done++;
            if (done % PROGRESS_EVERY == 0 || done == files.size()) {
                out.printf(Locale.ROOT, "evaluated %d/%d images (%.1f s)%n", done, files.size(),
                        (System.nanoTime() - start) / 1e9);
            }
        }
        MeanAveragePrecision.Result r = map.compute();
        out.printf(Locale.ROOT, "images=%d labels=%d classes=%d detections=%d%n", files.size(), r.labels(),
                r.classes(), r.detections());
        out.printf(Locale.ROOT, "mAP50=%.4f mAP50-95=%.4f%n", r.map50(), r.map5095());
        return 0;
    }

    private static boolean isImage(Path p) {
        String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return name.endsWith(".jpg") || name.endsWith(".jpeg") || name.endsWith(".png") || name.endsWith(".bmp")
                || name.endsWith(".webp");
    }
}
