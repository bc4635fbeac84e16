package edge.image;

import edge.testing.Fixtures;
import edge.testing.ImageBytes;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencv.core.Core;
import org.opencv.core.CvType;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.core.Scalar;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.imgproc.Imgproc;


import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Decoding: limits from the header, EXIF orientation, every pixel format to 8-bit BGR. */
class ImageDecoderTest {

    private static ImageDecoder decoder;

    @BeforeAll
    static void load() {
        decoder = new ImageDecoder(new ImageLimits(20 * 1024 * 1024, 40_000_000));
    }

    @Test
    void exifOrientationIsApplied() {
        Mat upright = Imgcodecs.imdecode(new MatOfByte(Fixtures.imageBytes("bus.jpg")), Imgcodecs.IMREAD_COLOR);
        Mat stored = new Mat();
        // Orientation 6 means "rotate 90 degrees clockwise to display": store the picture turned the other way.
        Core.rotate(upright, stored, Core.ROTATE_90_COUNTERCLOCKWISE);
        byte[] jpeg = ImageBytes.withExifOrientation(ImageBytes.encode(stored, ".jpg"), 6);
        try (Frame frame = decoder.decode(jpeg)) {
            assertEquals(810, frame.width());
            assertEquals(1080, frame.height());
            assertTrue(meanAbsDiff(frame.bgr(), upright) < 3.0, "pixels come back upright");
        }
        assertEquals(6, ImageHeader.read(jpeg).orientation());
    }

    @Test
    void everyOrientationComesBackUpright() {
        Mat upright = new Mat(40, 60, CvType.CV_8UC3, new Scalar(0, 0, 0));
        Imgproc.rectangle(upright, new org.opencv.core.Point(0, 0), new org.opencv.core.Point(9, 4),
                new Scalar(255, 255, 255), -1);
        for (int orientation = 1; orientation <= 8; orientation++) {
            Mat stored = storedFor(upright, orientation);
            Mat back = ImageDecoder.upright(stored, orientation);
            assertEquals(60, back.cols(), "orientation " + orientation);
            assertEquals(0.0, meanAbsDiff(back, upright), "orientation " + orientation);
        }
    }

    @Test
    void greyAlphaAndSixteenBitBecomeEightBitBgr() {
        Mat grey = new Mat(30, 20, CvType.CV_8UC1, new Scalar(77));
        Mat rgba = new Mat(30, 20, CvType.CV_8UC4, new Scalar(10, 20, 30, 128));
        Mat deep = new Mat(30, 20, CvType.CV_16UC3, new Scalar(65535, 0, 32768));
        for (byte[] encoded : new byte[][] {ImageBytes.encode(grey, ".jpg"), ImageBytes.encode(rgba, ".png"), ImageBytes.encode(deep, ".png"),
                ImageBytes.encode(grey, ".bmp"), ImageBytes.encode(rgba, ".webp")}) {
            try (Frame frame = decoder.decode(encoded)) {
                assertEquals(CvType.CV_8UC3, frame.bgr().type());
                assertEquals(20, frame.width());
                assertEquals(30, frame.height());
            }
        }
        try (Frame frame = decoder.decode(ImageBytes.encode(deep, ".png"))) {
            double[] pixel = frame.bgr().get(0, 0);
            assertEquals(255.0, pixel[0]);
            assertEquals(128.0, pixel[2], 1.0);
        }
    }

    @Test
    void pixelLimitIsJudgedFromTheHeader() {
        ImageRejected e = assertThrows(ImageRejected.class, () -> decoder.decode(ImageBytes.pngClaiming(60000, 60000)));
        assertEquals(ImageRejected.Reason.TOO_MANY_PIXELS, e.reason());
        ImageDecoder small = new ImageDecoder(new ImageLimits(1 << 20, 810 * 1080 - 1));
        assertEquals(ImageRejected.Reason.TOO_MANY_PIXELS,
                assertThrows(ImageRejected.class, () -> small.decode(Fixtures.imageBytes("bus.jpg"))).reason());
        ImageDecoder tiny = new ImageDecoder(new ImageLimits(1000, 40_000_000));
        assertEquals(ImageRejected.Reason.TOO_MANY_BYTES,
                assertThrows(ImageRejected.class, () -> tiny.decode(Fixtures.imageBytes("bus.jpg"))).reason());
    }

    @Test
    void aHeaderThatLiesIsUndecodable() {
        ImageRejected e = assertThrows(ImageRejected.class, () -> decoder.decode(ImageBytes.pngClaiming(100, 100)));
        assertEquals(ImageRejected.Reason.UNDECODABLE, e.reason());
    }

    private static Mat storedFor(Mat upright, int orientation) {
        // The inverse of each display transform.
        Mat stored = new Mat();
        switch (orientation) {
            case 1 -> upright.copyTo(stored);
            case 2 -> Core.flip(upright, stored, 1);
            case 3 -> Core.rotate(upright, stored, Core.ROTATE_180);
            case 4 -> Core.flip(upright, stored, 0);
            case 5 -> Core.transpose(upright, stored);
            case 6 -> Core.rotate(upright, stored, Core.ROTATE_90_COUNTERCLOCKWISE);
            case 7 -> {
                Core.flip(upright, stored, -1);
                Core.transpose(stored, stored);
            }
            case 8 -> Core.rotate(upright, stored, Core.ROTATE_90_CLOCKWISE);
            default -> throw new IllegalArgumentException();
        }
        return stored;
    }

    static double meanAbsDiff(Mat a, Mat b) {
        Mat diff = new Mat();
        Core.absdiff(a, b, diff);
        Scalar mean = Core.mean(diff);
        return (mean.val[0] + mean.val[1] + mean.val[2]) / 3;
    }
}
