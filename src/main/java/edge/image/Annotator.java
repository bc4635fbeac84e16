package edge.image;

import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Point;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

import java.util.List;

/** Draws labelled boxes on a frame with OpenCV and encodes the result. */
public final class Annotator {

    /** One box to draw: corners in frame pixels, its caption and a key that picks a stable colour. */
    public record Mark(float x1, float y1, float x2, float y2, String caption, int colorKey) {
    }

    public enum Encoding {
        JPEG(".jpg", "image/jpeg"), PNG(".png", "image/png");

        final String extension;
        public final String mediaType;

        Encoding(String extension, String mediaType) {
            this.extension = extension;
            this.mediaType = mediaType;
        }
    }

    private Annotator() {
    }

    /** Draws on the frame's own pixels (the caller owns the frame) and returns the encoded image. */
    public static byte[] drawAndEncode(Frame frame, List<Mark> marks, Encoding encoding, int jpegQuality) {
        Mat image = frame.bgr();
        int thickness = Math.max(1, Math.round(Math.max(image.cols(), image.rows()) / 400f));
        double fontScale = Math.max(0.4, thickness / 3.0);
        for (Mark mark : marks) {
            Scalar color = color(mark.colorKey());
            Point topLeft = new Point(mark.x1(), mark.y1());
            Imgproc.rectangle(image, topLeft, new Point(mark.x2(), mark.y2()), color, thickness);
            int[] baseline = new int[1];
            Size text = Imgproc.getTextSize(mark.caption(), Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, thickness, baseline);
            // The caption sits above the box, or inside it when the box touches the top edge.
            double top = mark.y1() - text.height - baseline[0] >= 0 ? mark.y1() - text.height - baseline[0] : mark.y1();
            Imgproc.rectangle(image, new Point(mark.x1(), top),
                    new Point(mark.x1() + text.width, top + text.height + baseline[0]), color, Imgproc.FILLED);
            Imgproc.putText(image, mark.caption(), new Point(mark.x1(), top + text.height),
                    Imgproc.FONT_HERSHEY_SIMPLEX, fontScale, new Scalar(255, 255, 255), thickness, Imgproc.LINE_AA);
        }
        MatOfByte encoded = new MatOfByte();
        MatOfInt params = encoding == Encoding.JPEG
                ? new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, jpegQuality) : new MatOfInt();
        try {
            if (!Imgcodecs.imencode(encoding.extension, image, encoded, params)) {
                throw new IllegalStateException("OpenCV could not encode the annotated image as " + encoding);
            }
            return encoded.toArray();
        } finally {
            encoded.release();
            params.release();
        }
    }

    /** A bright colour per key, spread around the hue circle, stable across requests. */
    static Scalar color(int key) {
        double hue = (key * 0.618033988749895) % 1.0;
        java.awt.Color rgb = java.awt.Color.getHSBColor((float) hue, 0.85f, 0.95f);
        return new Scalar(rgb.getBlue(), rgb.getGreen(), rgb.getRed());
    }
}
