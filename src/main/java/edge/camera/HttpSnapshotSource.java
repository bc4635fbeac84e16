package edge.camera;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A camera's snapshot URL, and its MJPEG stream: the response's Content-Type decides. A snapshot is fetched per
 * frame; a stream is kept open and the newest complete part is taken each time.
 */
final class HttpSnapshotSource implements FrameSource {

    private final HttpClient client;
    private final URI url;
    private final Optional<String> authorization;
    private final Duration timeout;
    private final long maxBytes;
    private MjpegReader stream;

    HttpSnapshotSource(HttpClient client, URI url, Optional<String> authorization, Duration timeout, long maxBytes) {
        this.client = client;
        this.url = url;
        this.authorization = authorization;
        this.timeout = timeout;
        this.maxBytes = maxBytes;
    }

    @Override
    public byte[] next() throws IOException {
        if (stream != null) {
            try {
                return stream.newest(timeout);
            } catch (IOException e) {
                close();
                throw new IOException("the MJPEG stream broke: " + e.getMessage(), e);
            }
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(timeout).GET()
                .header("Accept", "image/jpeg, image/*, multipart/x-mixed-replace");
        authorization.ifPresent(value -> request.header("Authorization", value));
        HttpResponse<InputStream> response;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        InputStream body = response.body();
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (response.statusCode() != 200) {
            body.close();
            throw new IOException("HTTP " + response.statusCode() + " from the camera");
        }
        if (type.toLowerCase().startsWith("multipart/x-mixed-replace")) {
            stream = new MjpegReader(body, MjpegReader.boundary(type), maxBytes, url.getHost() + ":" + url.getPort());
            return next();
        }
        try (body) {
            byte[] bytes = body.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw new IOException("the snapshot is larger than edge.image.max-bytes (" + maxBytes + ")");
            }
            if (bytes.length == 0) {
                throw new IOException("the camera answered an empty body (Content-Type " + type + ")");
            }
            return bytes;
        }
    }

    @Override
    public void close() {
        if (stream != null) {
            stream.close();
            stream = null;
        }
    }
}
