package edge.scene;

import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfDouble;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

/**
 * A small grey picture of a frame, normalised to zero mean and unit variance, so that JPEG noise averages out and a
 * global brightness or contrast drift cancels; with its 8x8 block means and a 64-bit fingerprint (the signs of
 * those means) to find candidate scenes cheaply.
 */
public record Thumbnail(int side, float[] pixels, float[] blockMeans, long fingerprint) {

    /** Thumbnails are {@value} x {@value} pixels. */
    public static final int SIDE = 64;
    /** Blocks per row and column: 64 blocks of 8 x 8 pixels, each about 1.6 % of the frame. */
    public static final int GRID = 8;

    public static Thumbnail of(Mat bgr) {
        Mat grey = new Mat();
        try {
            Imgproc.cvtColor(bgr, grey, Imgproc.COLOR_BGR2GRAY);
            return ofGrey(grey);
        } finally {
            grey.release();
        }
    }

    /** From an 8-bit grey image of any size (such as a reduced-scale decode). */
    public static Thumbnail ofGrey(Mat grey) {
        Mat small = new Mat();
        Mat floats = new Mat();
        try {
            Imgproc.resize(grey, small, new Size(SIDE, SIDE), 0, 0, Imgproc.INTER_AREA);
            small.convertTo(floats, CvType.CV_32F);
            MatOfDouble mean = new MatOfDouble();
            MatOfDouble std = new MatOfDouble();
            Core.meanStdDev(floats, mean, std);
            double m = mean.get(0, 0)[0];
            double s = Math.max(std.get(0, 0)[0], 1.0); // a flat frame: avoid dividing noise up
            float[] pixels = new float[SIDE * SIDE];
            floats.get(0, 0, pixels);
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = (float) ((pixels[i] - m) / s);
            }
            mean.release();
            std.release();
            return of(pixels);
        } finally {
            small.release();
            floats.release();
        }
    }

    static Thumbnail of(float[] pixels) {
        int block = SIDE / GRID;
        float[] means = new float[GRID * GRID];
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                means[(y / block) * GRID + x / block] += pixels[y * SIDE + x];
            }
        }
        long fingerprint = 0;
        for (int b = 0; b < means.length; b++) {
            means[b] /= block * block;
            if (means[b] > 0) {
                fingerprint |= 1L << b;
            }
        }
        return new Thumbnail(SIDE, pixels, means, fingerprint);
    }
}
