package edge.camera;

import edge.image.OpenCv;
import org.opencv.core.Core;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;
import org.opencv.videoio.VideoCapture;

import java.io.IOException;
import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * {@code rtsp://} (and other video URLs) through OpenCV's VideoCapture. Only as good as the OpenCV build: the
 * bundled openpnp 4.9.0 has neither FFMPEG nor GStreamer, so it cannot open RTSP, and the error says so.
 */
final class VideoCaptureSource implements FrameSource {

    private final String url;
    private VideoCapture capture;

    VideoCaptureSource(String url) {
        this.url = url;
    }

    @Override
    public byte[] next() throws IOException {
        OpenCv.ensureLoaded();
        if (capture == null || !capture.isOpened()) {
            capture = new VideoCapture(url);
            if (!capture.isOpened()) {
                capture.release();
                capture = null;
                throw new IOException("OpenCV cannot open this stream; its video backends: " + backends()
                        + ". RTSP needs an OpenCV built with FFMPEG or GStreamer; use the camera's HTTP snapshot "
                        + "or MJPEG URL instead, or a relay that serves one");
            }
        }
        Mat frame = new Mat();
        try {
            if (!capture.read(frame) || frame.empty()) {
                close();
                throw new IOException("the stream gave no frame");
            }
            MatOfByte jpeg = new MatOfByte();
            try {
                Imgcodecs.imencode(".jpg", frame, jpeg);
                return jpeg.toArray();
            } finally {
                jpeg.release();
            }
        } finally {
            frame.release();
        }
    }

    /** The Video I/O lines of OpenCV's build information, e.g. "FFMPEG: NO, GStreamer: NO, v4l/v4l2: YES". */
    static String backends() {
        return Arrays.stream(Core.getBuildInformation().split("\n"))
                .map(String::trim)
                .filter(l -> l.startsWith("FFMPEG:") || l.startsWith("GStreamer:") || l.startsWith("v4l/v4l2:"))
                .map(l -> l.replaceAll("\\s+", " "))
                .collect(Collectors.joining(", "));
    }

    @Override
    public void close() {
        if (capture != null) {
            capture.release();
            capture = null;
        }
    }
}
