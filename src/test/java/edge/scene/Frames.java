package edge.scene;

import edge.image.OpenCv;
import edge.testing.Fixtures;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.MatOfInt;
import org.opencv.core.Rect;
import org.opencv.core.Size;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;

/** Camera-like variants of the shared images: noisy re-encodes, and frames where something small changed. */
public final class Frames {

    private Frames() {
    }

    public static Mat decode(byte[] jpeg) {
        OpenCv.ensureLoaded();
        return Imgcodecs.imdecode(new MatOfByte(jpeg), Imgcodecs.IMREAD_COLOR);
    }

    public static byte[] jpeg(Mat image, int quality) {
        MatOfByte out = new MatOfByte();
        Imgcodecs.imencode(".jpg", image, out, new MatOfInt(Imgcodecs.IMWRITE_JPEG_QUALITY, quality));
        return out.toArray();
    }

    /** The image with Gaussian sensor noise, a brightness drift and a JPEG re-encode at {@code quality}. */
    public static byte[] noisy(byte[] jpeg, double sigma, double brightness, int quality, long seed) {
        Mat image = decode(jpeg);
        Mat f = new Mat();
        image.convertTo(f, CvType.CV_32FC3, brightness, 0);
        Mat noise = new Mat(f.size(), CvType.CV_32FC3);
        Core.setRNGSeed((int) seed);
        Core.randn(noise, 0, sigma);
        Core.add(f, noise, f);
        Mat back = new Mat();
        f.convertTo(back, CvType.CV_8UC3);
        return jpeg(back, quality);
    }

    /** bus.jpg with the left person of zidane.jpg pasted at {@code areaShare} of the frame, top-left of the bus. */
    public static byte[] busWithPastedPerson(double areaShare) {
        Mat bus = decode(Fixtures.imageBytes("bus.jpg"));
        Mat zidane = decode(Fixtures.imageBytes("zidane.jpg"));
        // zidane.jpg's left person (a wide crop around him).
        Mat person = zidane.submat(new Rect(120, 190, 440, 530));
        double scale = Math.sqrt(areaShare * bus.cols() * bus.rows() / (person.cols() * (double) person.rows()));
        Mat small = new Mat();
        Imgproc.resize(person, small, new Size(person.cols() * scale, person.rows() * scale), 0, 0, Imgproc.INTER_AREA);
        small.copyTo(bus.submat(new Rect(560, 60, small.cols(), small.rows())));
        return jpeg(bus, 90);
    }
}
