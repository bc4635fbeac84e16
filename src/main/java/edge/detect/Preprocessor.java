package edge.detect;

import edge.image.Frame;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.Rect;
import org.opencv.core.Scalar;
import org.opencv.core.Size;
import org.opencv.imgproc.Imgproc;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Letterbox with OpenCV and write the model input: RGB, scaled to 0..1, planar (NCHW) float32. The planes are
 * written straight into a direct buffer that ONNX Runtime reads without another copy.
 */
public final class Preprocessor {

    /** Ultralytics pads with grey 114. */
    static final double PAD_VALUE = 114.0;

    private Preprocessor() {
    }

    /** A tensor for one image: {@code 3 * H * W} floats in native order, and the geometry to map boxes back. */
    public record Prepared(ByteBuffer chw, Letterbox letterbox) {
    }

    public static Prepared prepare(Frame frame, int inputWidth, int inputHeight) {
        return prepare(frame, inputWidth, inputHeight, ByteBuffer.allocateDirect(bytes(inputWidth, inputHeight))
                .order(ByteOrder.nativeOrder()));
    }

    /** The size of one image's tensor. */
    public static int bytes(int inputWidth, int inputHeight) {
        return 3 * inputWidth * inputHeight * Float.BYTES;
    }

    /** Writes the tensor into {@code chw}: a direct buffer of {@link #bytes} bytes. */
    public static Prepared prepare(Frame frame, int inputWidth, int inputHeight, ByteBuffer chw) {
        if (!chw.isDirect() || chw.capacity() != bytes(inputWidth, inputHeight)) {
            throw new IllegalArgumentException("the tensor buffer must be direct and hold 3 x " + inputHeight + " x "
                    + inputWidth + " floats");
        }
        Letterbox lb = Letterbox.fit(frame.width(), frame.height(), inputWidth, inputHeight);
        Mat canvas = new Mat(inputHeight, inputWidth, CvType.CV_8UC3, new Scalar(PAD_VALUE, PAD_VALUE, PAD_VALUE));
        List<Mat> bgrPlanes = new ArrayList<>(3);
        try {
            Mat roi = canvas.submat(new Rect(lb.padLeft(), lb.padTop(), lb.resizedWidth(), lb.resizedHeight()));
            if (lb.resizedWidth() == frame.width() && lb.resizedHeight() == frame.height()) {
                frame.bgr().copyTo(roi);
            } else {
                Imgproc.resize(frame.bgr(), roi, new Size(lb.resizedWidth(), lb.resizedHeight()), 0, 0,
                        Imgproc.INTER_LINEAR);
            }
            roi.release();
            Core.split(canvas, bgrPlanes);
            int planeBytes = inputWidth * inputHeight * Float.BYTES;
            for (int rgb = 0; rgb < 3; rgb++) {
                // RGB plane 0 is BGR plane 2: the channel swap costs nothing here.
                Mat plane = new Mat(inputHeight, inputWidth, CvType.CV_32F, chw.slice(rgb * planeBytes, planeBytes));
                bgrPlanes.get(2 - rgb).convertTo(plane, CvType.CV_32F, 1.0 / 255.0);
                plane.release();
            }
        } finally {
            canvas.release();
            bgrPlanes.forEach(Mat::release);
        }
        return new Prepared(chw, lb);
    }
}
