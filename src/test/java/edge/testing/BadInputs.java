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
     * @param report       for 200, the report line {@code POST /count} must answer: bus.jpg's {@link #BUS_REPORT} for
     *                     every conversion of it, {@code ""} (nothing found) for the 1x1 image; null for errors
     */
    public record Case(String name, String contentType, byte[] body, int status, String messagePart, String report) {

        Case(String name, String contentType, byte[] body, int status, String messagePart) {
            this(name, contentType, body, status, messagePart, null);
        }

        /** A body that must be answered 200 with this report. */
        static Case counted(String name, String contentType, byte[] body, String report) {
            return new Case(name, contentType, body, 200, null, report);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** What bus.jpg counts (as RELIABILITY.md and the README say), and so every lossless-enough conversion of it. */
    public static final String BUS_REPORT = "person 4, bus 1";

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
        cases.add(Case.counted("1x1 image", "image/png", ImageBytes.encode(new Mat(1, 1, CvType.CV_8UC3,
                new Scalar(10, 20, 30)), ".png"), ""));
        Mat deep = new Mat();
        busMat.convertTo(deep, CvType.CV_16UC3, 257);
        cases.add(Case.counted("16-bit PNG", "image/png", ImageBytes.encode(deep, ".png"), BUS_REPORT));
        Mat grey = new Mat();
        Imgproc.cvtColor(busMat, grey, Imgproc.COLOR_BGR2GRAY);
        cases.add(Case.counted("grey JPEG", "image/jpeg", ImageBytes.encode(grey, ".jpg"), BUS_REPORT));
        cases.add(Case.counted("CMYK JPEG", "image/jpeg", cmykJpeg(busMat), BUS_REPORT));
        Mat rgba = new Mat();
        Imgproc.cvtColor(busMat, rgba, Imgproc.COLOR_BGR2BGRA);
        cases.add(Case.counted("RGBA PNG", "image/png", ImageBytes.encode(rgba, ".png"), BUS_REPORT));
        cases.add(Case.counted("EXIF-rotated JPEG", "image/jpeg", rotatedWithExif(busMat), BUS_REPORT));
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

    /** The JPEG with an Adobe APP14 segment (version 100, transform 0: CMYK as stored) right after its SOI marker. */
    static byte[] withAdobeMarker(byte[] jpeg) {
        byte[] app14 = {(byte) 0xff, (byte) 0xee, 0x00, 0x0e, 'A', 'd', 'o', 'b', 'e', 0x00, 0x64, 0x00, 0x00, 0x00,
                0x00, 0x00};
        byte[] marked = new byte[jpeg.length + app14.length];
        System.arraycopy(jpeg, 0, marked, 0, 2);
        System.arraycopy(app14, 0, marked, 2, app14.length);
        System.arraycopy(jpeg, 2, marked, 2 + app14.length, jpeg.length - 2);
        return marked;
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

    /**
     * A 4-component (CMYK, Adobe-style inverted, with the Adobe APP14 marker) JPEG, as print workflows and some
     * scanners write them. It must decode to bus.jpg's colours: this corpus once stored the ink uninverted, which every
     * decoder reads as a near-negative of the bus that still counted "person 2, bus 1" and passed as a plain 200.
     */
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
                // Stored inverted, as Adobe writes CMYK (and as libjpeg and OpenCV read it): 255 means no ink.
                cmyk[0] = 255 - (255 - r - k);
                cmyk[1] = 255 - (255 - g - k);
                cmyk[2] = 255 - (255 - b - k);
                cmyk[3] = 255 - k;
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
            return withAdobeMarker(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
