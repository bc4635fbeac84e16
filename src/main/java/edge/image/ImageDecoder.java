package edge.image;

import com.drew.imaging.FileType;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

/**
 * Turns encoded bytes into an upright 8-bit BGR {@link Frame}. Limits are checked on the byte count and on the
 * header's pixel count before OpenCV allocates anything; grey, alpha and 16-bit images come out as 8-bit BGR.
 */
public final class ImageDecoder {

    private final ImageLimits limits;

    public ImageDecoder(ImageLimits limits) {
        this.limits = limits;
        OpenCv.ensureLoaded();
    }

    public Frame decode(byte[] bytes) {
        ImageHeader header = checkedHeader(bytes);
        Mat decoded = imdecode(bytes, header, Imgcodecs.IMREAD_COLOR);
        if (decoded.cols() != header.width() || decoded.rows() != header.height()) {
            int width = decoded.cols();
            int height = decoded.rows();
            decoded.release();
            throw new ImageRejected(ImageRejected.Reason.UNDECODABLE, String.format(
                    "the header says %dx%d but the data decode to %dx%d", header.width(), header.height(), width, height));
        }
        return new Frame(upright(decoded, header.orientation()));
    }

    /**
     * A small upright grey version of an image, for the scene cache: JPEGs are decoded at 1/2, 1/4 or 1/8 scale in
     * the DCT domain, which costs a fraction of a full decode and holds a fraction of its pixels. Same limits as
     * {@link #decode}. {@code width} and {@code height} are those of the full upright image.
     */
    public record Preview(Mat grey, int width, int height) implements AutoCloseable {
        @Override
        public void close() {
            grey.release();
        }
    }

    /** Smallest side, in pixels, a preview keeps (thumbnails are 64 x 64). */
    static final int PREVIEW_MIN_SIDE = 64;

    public Preview preview(byte[] bytes) {
        ImageHeader header = checkedHeader(bytes);
        int side = Math.min(header.width(), header.height());
        int flag = side >= 8 * PREVIEW_MIN_SIDE ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_8
                : side >= 4 * PREVIEW_MIN_SIDE ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_4
                : side >= 2 * PREVIEW_MIN_SIDE ? Imgcodecs.IMREAD_REDUCED_GRAYSCALE_2 : Imgcodecs.IMREAD_GRAYSCALE;
        Mat decoded = imdecode(bytes, header, flag);
        boolean turned = header.orientation() >= 5;
        return new Preview(upright(decoded, header.orientation()), turned ? header.height() : header.width(),
                turned ? header.width() : header.height());
    }

    /** The header of an image within the byte and pixel limits, judged before any pixel is decoded. */
    private ImageHeader checkedHeader(byte[] bytes) {
        checkByteCount(bytes == null ? 0 : bytes.length);
        ImageHeader header = ImageHeader.read(bytes);
        if (header.pixels() > limits.maxPixels()) {
            throw new ImageRejected(ImageRejected.Reason.TOO_MANY_PIXELS, String.format(
                    "the image is %dx%d = %d pixels, over the limit of %d (edge.image.max-pixels)",
                    header.width(), header.height(), header.pixels(), limits.maxPixels()));
        }
        return header;
    }

    /** OpenCV's decode with {@code flags}; orientation is applied by the caller from the header, alike for every codec. */
    private static Mat imdecode(byte[] bytes, ImageHeader header, int flags) {
        if (header.format() == FileType.Jpeg && !endsWithEoi(bytes)) {
            // libjpeg "decodes" a cut-off JPEG into grey padding with a warning, and the model then finds things in
            // the padding: refuse it instead (a camera upload cut off by the network, a half-written file).
            throw new ImageRejected(ImageRejected.Reason.UNDECODABLE, "the JPEG is truncated: it has no end-of-image "
                    + "marker (FF D9) near its end (" + bytes.length + " bytes)");
        }
        Mat decoded;
        try (var encoded = new ClosableMat(new MatOfByte(bytes))) {
            decoded = Imgcodecs.imdecode(encoded.mat(), flags | Imgcodecs.IMREAD_IGNORE_ORIENTATION);
        }
        if (decoded.empty()) {
            decoded.release();
            throw new ImageRejected(ImageRejected.Reason.UNDECODABLE,
                    "the " + header.format().getName() + " data could not be decoded (corrupt or truncated)");
        }
        return decoded;
    }

    public void checkByteCount(long byteCount) {
        if (byteCount > limits.maxBytes()) {
            throw new ImageRejected(ImageRejected.Reason.TOO_MANY_BYTES, String.format(
                    "the image is %d bytes, over the limit of %d (edge.image.max-bytes)", byteCount, limits.maxBytes()));
        }
    }

    /** Whether the JPEG's end-of-image marker is among its last bytes (some encoders pad after it). */
    static boolean endsWithEoi(byte[] jpeg) {
        for (int i = jpeg.length - 2; i >= Math.max(0, jpeg.length - 1024); i--) {
            if ((jpeg[i] & 0xff) == 0xff && (jpeg[i + 1] & 0xff) == 0xd9) {
                return true;
            }
        }
        return false;
    }

    /** Applies an EXIF orientation (1..8) so that the returned pixels are upright; releases {@code src} if it copies. */
    static Mat upright(Mat src, int orientation) {
        if (orientation == ImageHeader.UPRIGHT) {
            return src;
        }
        Mat dst = new Mat();
        switch (orientation) {
            case 2 -> Core.flip(src, dst, 1);
            case 3 -> Core.rotate(src, dst, Core.ROTATE_180);
            case 4 -> Core.flip(src, dst, 0);
            case 5 -> Core.transpose(src, dst);
            case 6 -> Core.rotate(src, dst, Core.ROTATE_90_CLOCKWISE);
            case 7 -> {
                Core.transpose(src, dst);
                Core.flip(dst, dst, -1);
            }
            case 8 -> Core.rotate(src, dst, Core.ROTATE_90_COUNTERCLOCKWISE);
            default -> {
                dst.release();
                return src;
            }
        }
        src.release();
        return dst;
    }

    /** try-with-resources for a temporary OpenCV matrix. */
    record ClosableMat(Mat mat) implements AutoCloseable {
        @Override
        public void close() {
            mat.release();
        }
    }
}
