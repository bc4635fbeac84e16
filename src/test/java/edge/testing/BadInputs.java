package edge.testing;

import edge.image.OpenCv;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The bad-input corpus, generated at run time from the shared sample images (nothing committed): every kind of
 * body a camera, a client or the network can send, with the status the REST API must answer.
 *
 * @see edge.api.rest.BadInputSuiteTest
 */
public final class BadInputs {

    /**
     * One body.
     *
     * @param status       the expected HTTP status of {@code POST /count}
     * @param messagePart  part of the error message (null for 200)
     */
    public record Case(String name, String contentType, byte[] body, int status, String messagePart) {
        @Override
        public String toString() {
            return name;
        }
    }

    private BadInputs() {
    }

    public static List<Case> all() {
        OpenCv.ensureLoaded();
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        Mat busMat = Imgcodecs.imdecode(new org.opencv.core.MatOfByte(bus), Imgcodecs.IMREAD_COLOR);
        byte[] png = ImageBytes.encode(busMat, ".png");
        List<Case> cases = new ArrayList<>();
        cases.add(new Case("zero bytes", "image/jpeg", new byte[0], 400, "empty"));
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        cases.add(new Case("random bytes", "application/octet-stream", random, 400, "not an image"));
        cases.add(new Case("truncated JPEG", "image/jpeg", Arrays.copyOf(bus, bus.length / 2), 400, "truncated"));
        cases.add(new Case("truncated PNG", "image/png", Arrays.copyOf(png, png.length / 2), 400, null));
        cases.add(new Case("JPEG with a corrupt Huffman table", "image/jpeg", corruptHuffman(bus), 400, null));
        cases.add(new Case("PNG claiming 60000x60000 pixels", "image/png", ImageBytes.pngClaiming(60000, 60000),
                413, "pixels"));
        cases.add(new Case("1x1 image", "image/png", ImageBytes.encode(new Mat(1, 1, CvType.CV_8UC3,
                new Scalar(10, 20, 30)), ".png"), 200, null));
        Mat deep = new Mat();
        busMat.convertTo(deep, CvType.CV_16UC3, 257);
        cases.add(new Case("16-bit PNG", "image/png", ImageBytes.encode(deep, ".png"), 200, null));
        Mat grey = new Mat();
        Imgproc.cvtColor(busMat, grey, Imgproc.COLOR_BGR2GRAY);
        cases.add(new Case("grey JPEG", "image/jpeg", ImageBytes.encode(grey, ".jpg"), 200, null));
        cases.add(new Case("CMYK JPEG", "image/jpeg", cmykJpeg(busMat), 200, null));
        Mat rgba = new Mat();
        Imgproc.cvtColor(busMat, rgba, Imgproc.COLOR_BGR2BGRA);
        cases.add(new Case("RGBA PNG", "image/png", ImageBytes.encode(rgba, ".png"), 200, null));
        cases.add(new Case("EXIF-rotated JPEG", "image/jpeg", rotatedWithExif(busMat), 200, null));
        cases.add(new Case("GIF", "image/gif", ImageBytes.gif(), 415, null));
        cases.add(new Case("GIF sent as octet-stream", "application/octet-stream", ImageBytes.gif(), 415, "GIF"));
        cases.add(new Case("SVG", "image/svg+xml", ImageBytes.svg(), 415, null));
        cases.add(new Case("text sent as image/jpeg", "image/jpeg",
                "this is a shopping list, not a picture".getBytes(StandardCharsets.UTF_8), 400, "not an image"));
        cases.add(new Case("wrong content type", "text/plain", bus, 415, "Content-Type"));
        return cases;
    }

    /**
     * bus.jpg with its pixels turned a quarter to the left and EXIF orientation 6 ("turn right to view"): upright
     * again once the orientation is applied, so it must count exactly like bus.jpg, in an 810x1080 frame.
     */
    public static byte[] rotatedWithExif(Mat bgr) {
        Mat turned = new Mat();
        org.opencv.core.Core.rotate(bgr, turned, org.opencv.core.Core.ROTATE_90_COUNTERCLOCKWISE);
        return ImageBytes.withExifOrientation(ImageBytes.encode(turned, ".jpg"), 6);
    }

    /** Baseline JPEG with its first Huffman table's code counts overwritten: the entropy data no longer decodes. */
    static byte[] corruptHuffman(byte[] jpeg) {
        byte[] copy = jpeg.clone();
        for (int i = 2; i + 4 < copy.length; i++) {
            if ((copy[i] & 0xff) == 0xff && (copy[i + 1] & 0xff) == 0xc4) {
                // Segment: FFC4, length (2), table class/id (1), then 16 code-length counts.
                Arrays.fill(copy, i + 5, i + 5 + 16, (byte) 0xff);
                return copy;
            }
        }
        throw new IllegalStateException("no DHT segment in the JPEG");
    }

    /** A 4-component (CMYK, Adobe-style inverted) JPEG, as print workflows and some scanners write them. */
    static byte[] cmykJpeg(Mat bgr) {
        int w = bgr.cols();
        int h = bgr.rows();
        byte[] pixels = new byte[w * h * 3];
        bgr.get(0, 0, pixels);
        WritableRaster raster = Raster.createInterleavedRaster(java.awt.image.DataBuffer.TYPE_BYTE, w, h, 4, null);
        int[] cmyk = new int[4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int p = (y * w + x) * 3;
                int b = pixels[p] & 0xff;
                int g = pixels[p + 1] & 0xff;
                int r = pixels[p + 2] & 0xff;
                int k = 255 - Math.max(r, Math.max(g, b));
                cmyk[0] = 255 - r - k;
                cmyk[1] = 255 - g - k;
                cmyk[2] = 255 - b - k;
                cmyk[3] = k;
                raster.setPixel(x, y, cmyk);
            }
        }
        try {
            ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (MemoryCacheImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
                writer.setOutput(stream);
                writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
            }
            writer.dispose();
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
