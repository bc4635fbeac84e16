package edge.image;

import org.opencv.core.Mat;

/**
 * A decoded image: 8-bit, 3-channel BGR, upright. It owns its native pixels; close it where it is created.
 */
public final class Frame implements AutoCloseable {

    private final Mat bgr;

    public Frame(Mat bgr) {
        if (bgr.empty() || bgr.type() != org.opencv.core.CvType.CV_8UC3) {
            throw new IllegalArgumentException("a frame is a non-empty 8-bit BGR image, got " + bgr);
        }
        this.bgr = bgr;
    }

    public Mat bgr() {
        return bgr;
    }

    public int width() {
        return bgr.cols();
    }

    public int height() {
        return bgr.rows();
    }

    @Override
    public void close() {
        bgr.release();
    }
}
