package edge.camera;

import edge.testing.Fixtures;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.RestAssured;
import edge.testing.Cameras;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
@TestProfile(CamerasProfile.class)
class CameraCountTest {

    @TestHTTPResource("/")
    URL base;

    private static JsonPath latest(String camera) throws InterruptedException {
        return Cameras.latestCount(camera);
    }

    private static JsonPath cameraStatus(String id) {
        return new JsonPath(RestAssured.get("/cameras").then().statusCode(200).extract().asString())
                .setRootPath("find { it.id == '" + id + "' }");
    }

    @Test
    void aSnapshotCameraCountsAndItsZonesCountWhatTheBoxesImply() throws InterruptedException {
        JsonPath count = latest("bus");
        assertEquals("person 4, bus 1", count.getString("report"));
        assertEquals(5, count.getInt("total"));
        assertTrue(count.getLong("ageMs") >= 0);
        assertEquals("yolov8n-int8-dynamic", count.getString("model.name"));

        // The same image through POST /detect: which boxes stand (bottom-centre) in each zone.
        JsonPath detect = RestAssured.given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .post("/detect").then().statusCode(200).extract().jsonPath();
        float width = detect.getFloat("image.width");
        float height = detect.getFloat("image.height");
        Map<String, Integer> left = new TreeMap<>();
        Map<String, Integer> door = new TreeMap<>();
        List<Map<String, Object>> detections = detect.getList("detections");
        for (Map<String, Object> d : detections) {
            @SuppressWarnings("unchecked")
            Map<String, Number> box = (Map<String, Number>) d.get("box");
            float cx = (box.get("x1").floatValue() + box.get("x2").floatValue()) / 2 / width;
            float bottom = box.get("y2").floatValue() / height;
            String label = (String) d.get("label");
            if (cx < 0.5f) {
                left.merge(label, 1, Integer::sum);
            }
            if (cx > 0.6f && bottom > 0.5f) {
                door.merge(label, 1, Integer::sum);
            }
        }
        assertTrue(!left.isEmpty() && left.values().stream().mapToInt(i -> i).sum() < 5,
                "the left half holds some but not all of the 5 objects: " + left);
        assertEquals(left, new TreeMap<>(count.getMap("zones.left.counts", String.class, Integer.class)));
        assertEquals(left.values().stream().mapToInt(i -> i).sum(), count.getInt("zones.left.total"));
        assertEquals(door, new TreeMap<>(count.getMap("zones.door.counts", String.class, Integer.class)));
    }

    @Test
    void anMjpegStreamAndAFolderCountToo() throws InterruptedException {
        assertEquals("person 4, bus 1", latest("stream").getString("report"));
        latest("folder");
        Set<String> reports = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (reports.size() < 2 && System.nanoTime() < deadline) {
            reports.add(latest("folder").getString("report"));
            Thread.sleep(200);
        }
        assertTrue(reports.contains("person 4, bus 1") && reports.size() == 2,
                "the folder camera replays bus.jpg and zidane.jpg: " + reports);
    }

    @Test
    void failingCamerasAreMarkedUnhealthyAndTheOthersKeepCounting() throws InterruptedException {
        long before = latest("bus").getLong("frameSeq");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while ((cameraStatus("broken").getString("status").equals("waiting")
                || cameraStatus("garbage").getString("status").equals("waiting")
                || cameraStatus("hanging").getString("status").equals("waiting")
                || cameraStatus("stalled").getString("status").equals("waiting")
                || cameraStatus("rtsp").getString("status").equals("waiting")) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        JsonPath broken = cameraStatus("broken");
        assertEquals(false, broken.getBoolean("healthy"));
        assertEquals("failing", broken.getString("status"));
        assertTrue(broken.getString("lastError").contains("HTTP 500"), broken.getString("lastError"));
        assertTrue(cameraStatus("garbage").getString("lastError").contains("not a usable image"));
        assertTrue(cameraStatus("hanging").getString("lastError").contains("timed out"),
                cameraStatus("hanging").getString("lastError"));
        assertTrue(cameraStatus("stalled").getString("lastError").contains("no new frame"),
                cameraStatus("stalled").getString("lastError"));
        assertTrue(cameraStatus("rtsp").getString("lastError").contains("FFMPEG"),
                "RTSP says which video backends the bundled OpenCV lacks");
        RestAssured.get("/count?camera=broken").then().statusCode(503).header("Retry-After", equalTo("1"))
                .body("error", containsString("HTTP 500"));

        Thread.sleep(1500);
        assertTrue(latest("bus").getLong("frameSeq") > before, "the bus camera kept counting");
        String metrics = RestAssured.get("/q/metrics").asString();
        assertTrue(metrics.contains("edge_camera_healthy{camera=\"broken\"} 0.0"), "unhealthy gauge");
        assertTrue(metrics.contains("edge_camera_objects{camera=\"bus\",class=\"person\",zone=\"\"} 4.0"),
                "count gauge per camera and class");
        assertTrue(metrics.contains("edge_camera_frames_total{camera=\"broken\",outcome=\"failed\"}"));
    }

    @Test
    void unknownCamerasAre404AndACameraIsRequired() {
        RestAssured.get("/count?camera=nope").then().statusCode(404).body("error", containsString("no camera 'nope'"));
        RestAssured.get("/count").then().statusCode(400);
        RestAssured.get("/cameras/nope/frame").then().statusCode(404);
    }

    @Test
    void theLatestFrameIsServed() throws InterruptedException {
        latest("bus");
        byte[] frame = RestAssured.get("/cameras/bus/frame").then().statusCode(200).contentType("image/jpeg")
                .extract().asByteArray();
        assertTrue(java.util.Arrays.equals(Fixtures.imageBytes("bus.jpg"), frame));
    }

    @Test
    void serverSentEventsDeliverEveryNewCount() throws Exception {
        latest("bus");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "cameras/bus/events"))
                .header("Accept", "text/event-stream").build();
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        List<Long> ids = new ArrayList<>();
        List<String> data = new ArrayList<>();
        String event = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while (ids.size() < 3 && (line = lines.readLine()) != null) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    ids.add(Long.parseLong(line.substring(3).trim()));
                } else if (line.startsWith("data:")) {
                    data.add(line.substring(5).trim());
                    assertEquals("count", event);
                }
            }
        }
        assertEquals(3, ids.size());
        assertTrue(ids.get(0) < ids.get(1) && ids.get(1) < ids.get(2), "frames in order: " + ids);
        JsonPath last = new JsonPath(data.get(data.size() - 1));
        assertEquals("bus", last.getString("camera"));
        assertEquals("person 4, bus 1", last.getString("report"));
    }

    /**
     * The exact bytes of the event stream, read from a plain socket (HTTP/1.1, the chunked framing undone here):
     * every line is a standard {@code event:}, {@code data:} or {@code id:} field, or the blank line ending an event;
     * the id is the frame's frameSeq; no {@code content-type:} line (EventSource ignores unknown fields, but they are
     * not SSE).
     */
    @Test
    void theEventStreamHasOnlyStandardSseLines() throws Exception {
        latest("bus");
        String wire;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(15_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /cameras/bus/events HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                    + "\r\nAccept: text/event-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = new BufferedInputStream(socket.getInputStream());
            String status = crlfLine(in);
            assertTrue(status.startsWith("HTTP/1.1 200"), status);
            boolean chunked = false;
            for (String header = crlfLine(in); !header.isEmpty(); header = crlfLine(in)) {
                String lower = header.toLowerCase(Locale.ROOT);
                chunked |= lower.startsWith("transfer-encoding:") && lower.contains("chunked");
                if (lower.startsWith("content-type:")) {
                    assertTrue(lower.contains("text/event-stream"), header);
                }
            }
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            // Three complete events: three blank lines after a data line.
            while (countOf(body.toString(StandardCharsets.UTF_8), "\n\n") < 3) {
                if (chunked) {
                    int size = Integer.parseInt(crlfLine(in).split(";")[0].trim(), 16);
                    assertTrue(size > 0, "the stream ended early: " + body);
                    body.write(in.readNBytes(size));
                    assertEquals("", crlfLine(in));
                } else {
                    int b = in.read();
                    assertTrue(b >= 0, "the stream ended early: " + body);
                    body.write(b);
                }
            }
            wire = body.toString(StandardCharsets.UTF_8);
        }
        assertFalse(wire.contains("\r"), "lines end with LF only: " + wire);
        String[] events = wire.substring(0, wire.lastIndexOf("\n\n")).split("\n\n");
        assertEquals(3, events.length, wire);
        for (String event : events) {
            Long id = null;
            String data = null;
            String name = null;
            for (String line : event.split("\n")) {
                assertTrue(line.startsWith("event:") || line.startsWith("data:") || line.startsWith("id:"),
                        "a standard SSE field, not '" + line + "' in:\n" + wire);
                assertFalse(line.toLowerCase(Locale.ROOT).startsWith("content-type"), line);
                if (line.startsWith("id:")) {
                    id = Long.parseLong(line.substring(3).trim());
                } else if (line.startsWith("event:")) {
                    name = line.substring(6).trim();
                } else {
                    assertNull(data, "one data line per event (the JSON has no newline): " + event);
                    data = line.substring(5).trim();
                }
            }
            assertEquals("count", name, event);
            assertNotNull(id, "every event has an id: " + event);
            JsonPath json = new JsonPath(data);
            assertEquals(json.getLong("frameSeq"), id, "id: is the frameSeq");
            assertEquals("bus", json.getString("camera"));
            assertEquals("person 4, bus 1", json.getString("report"));
        }
    }

    /** One header or chunk-size line of HTTP/1.1 (CRLF-terminated), without the CRLF. */
    private static String crlfLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0 && b != '\n') {
            line.write(b);
        }
        String s = line.toString(StandardCharsets.US_ASCII);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    private static int countOf(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + part.length())) {
            n++;
        }
        return n;
    }
}
