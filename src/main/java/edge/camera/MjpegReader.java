package edge.camera;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Reads the parts of a {@code multipart/x-mixed-replace} body (an MJPEG stream) on a thread of its own, keeping only
 * the newest complete frame: a camera streaming faster than the service samples it is never answered with a stale
 * frame, and the stream is drained so the camera does not stall. Each part has headers, usually a Content-Length,
 * then the JPEG.
 */
final class MjpegReader implements AutoCloseable {

    private final InputStream in;
    private final byte[] boundary;
    private final long maxBytes;
    private final Thread reader;
    private byte[] newest;
    private long seq;
    private long taken;
    private IOException failure;

    MjpegReader(InputStream in, String boundary, long maxBytes, String name) {
        this.in = in.markSupported() ? in : new java.io.BufferedInputStream(in, 64 * 1024);
        this.boundary = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
        this.maxBytes = maxBytes;
        this.reader = new Thread(this::readAll, "edge-camera-mjpeg-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void readAll() {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                byte[] part = part();
                synchronized (this) {
                    newest = part;
                    seq++;
                    notifyAll();
                }
            }
        } catch (IOException e) {
            synchronized (this) {
                failure = e;
                notifyAll();
            }
        }
    }

    /** The boundary parameter of a multipart Content-Type (quotes and a leading "--" removed). */
    static String boundary(String contentType) throws IOException {
        for (String param : contentType.split(";")) {
            String p = param.trim();
            if (p.toLowerCase(Locale.ROOT).startsWith("boundary=")) {
                String b = p.substring("boundary=".length()).replace("\"", "");
                return b.startsWith("--") ? b.substring(2) : b;
            }
        }
        throw new IOException("multipart stream without a boundary: " + contentType);
    }

    /** The newest frame not returned before, waiting up to {@code timeout} for one. */
    synchronized byte[] newest(Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seq == taken && failure == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new IOException("no new frame from the stream within " + timeout);
            }
            try {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        if (seq == taken) {
            throw failure;
        }
        taken = seq;
        return newest;
    }

    /** One part: skip to the boundary line, read headers, then Content-Length bytes or up to the next boundary. */
    private byte[] part() throws IOException {
        String line;
        do {
            line = line();
        } while (!line.startsWith(new String(boundary, StandardCharsets.ISO_8859_1)));
        long length = -1;
        while (!(line = line()).isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase("content-length")) {
                try {
                    length = Long.parseLong(line.substring(colon + 1).trim());
                } catch (NumberFormatException e) {
                    throw new IOException("bad Content-Length in the stream: " + line);
                }
            }
        }
        if (length > maxBytes) {
            throw new IOException("a stream part of " + length + " bytes is larger than edge.image.max-bytes");
        }
        return length >= 0 ? readExactly(length) : readToBoundary();
    }

    private byte[] readExactly(long length) throws IOException {
        byte[] bytes = in.readNBytes((int) length);
        if (bytes.length < length) {
            throw new IOException("the stream ended inside a frame");
        }
        return bytes;
    }

    /** For streams without Content-Length: the part ends at CRLF + boundary, which is left for the next read. */
    private byte[] readToBoundary() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] marker = ("\r\n" + new String(boundary, StandardCharsets.ISO_8859_1)).getBytes(StandardCharsets.ISO_8859_1);
        int matched = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("the stream ended inside a frame");
            }
            if (b == marker[matched]) {
                matched++;
                if (matched == marker.length) {
                    // Leave the boundary to be found by the next part(): it starts a line.
                    in.reset();
                    return out.toByteArray();
                }
                if (matched == 1) {
                    in.mark(marker.length + 1);
                }
            } else {
                if (matched > 0) {
                    out.write(marker, 0, matched);
                    matched = b == marker[0] ? 1 : 0;
                    if (matched == 1) {
                        in.mark(marker.length + 1);
                        continue;
                    }
                }
                out.write(b);
            }
            if (out.size() > maxBytes) {
                throw new IOException("a stream part is larger than edge.image.max-bytes");
            }
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            if (out.size() > 8192) {
                throw new IOException("a header line of the stream is too long: not an MJPEG stream?");
            }
            out.write(b);
        }
        if (b < 0 && out.size() == 0) {
            throw new IOException("the stream ended");
        }
        String line = out.toString(StandardCharsets.ISO_8859_1);
        return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    }

    @Override
    public void close() {
        reader.interrupt();
        try {
            in.close();
        } catch (IOException ignored) {
            // Closing a broken stream: nothing left to do.
        }
    }
}
