package edge.camera;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@code file://} cameras for demos and tests: one image, or a folder of images replayed in name order, looping. */
final class FileSource implements FrameSource {

    private static final List<String> IMAGE_SUFFIXES = List.of(".jpg", ".jpeg", ".png", ".bmp", ".webp", ".tif",
            ".tiff");

    private final Path path;
    private final long maxBytes;
    private int next;

    FileSource(Path path, long maxBytes) {
        this.path = path;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] next() throws IOException {
        Path file = path;
        if (Files.isDirectory(path)) {
            List<Path> images;
            try (Stream<Path> files = Files.list(path)) {
                images = files.filter(f -> IMAGE_SUFFIXES.stream()
                                .anyMatch(s -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(s)))
                        .sorted().toList();
            }
            if (images.isEmpty()) {
                throw new IOException("no images (" + String.join(", ", IMAGE_SUFFIXES) + ") in " + path);
            }
            file = images.get(next++ % images.size());
        } else if (!Files.exists(path)) {
            throw new IOException("no such file: " + path);
        }
        if (Files.size(file) > maxBytes) {
            throw new IOException(file + " is larger than edge.image.max-bytes (" + maxBytes + ")");
        }
        return Files.readAllBytes(file);
    }
}
