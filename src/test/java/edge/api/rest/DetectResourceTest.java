package edge.api.rest;

import edge.testing.Fixtures;
import edge.testing.ImageBytes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;
import org.opencv.core.Mat;
import org.opencv.core.MatOfByte;
import org.opencv.imgcodecs.Imgcodecs;

import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The REST API over the real HTTP port, with the default model (yolov8n-int8-dynamic). */
@QuarkusTest
class DetectResourceTest {

    /** Published reference boxes of bus.jpg (class, x1, y1, x2, y2). */
    static final List<Object[]> BUS_REFERENCE = List.of(
            new Object[] {"person", 672.4f, 370.7f, 810.0f, 879.0f},
            new Object[] {"person", 220.8f, 408.3f, 343.0f, 855.4f},
            new Object[] {"person", 50.5f, 398.6f, 242.9f, 902.8f},
            new Object[] {"bus", 32.9f, 231.2f, 800.7f, 776.6f});

    static Response postImage(String path, String image) {
        return given().contentType("image/jpeg").body(Fixtures.imageBytes(image)).when().post(path);
    }

    @Test
    void busHasFourPeopleAndABusMatchingTheReferenceBoxes() {
        Response r = postImage("/detect", "bus.jpg");
        r.then().statusCode(200)
                .body("counts", equalTo(Map.of("person", 4, "bus", 1)))
                .body("image.width", equalTo(810)).body("image.height", equalTo(1080))
                .body("model.name", equalTo("yolov8n-int8-dynamic"))
                .body("model.version", equalTo("8.4.115"))
                .body("model.sha256", equalTo("83de8f0d2cd521e00ae2b138c340a03dece35b060b3898509bdc69afff417312"))
                .body("timings", hasKey("decodeMs")).body("timings", hasKey("inferenceMs"))
                .body("timings", hasKey("preprocessMs")).body("timings", hasKey("postprocessMs"))
                .body("timings", hasKey("totalMs"));
        List<Map<String, Object>> detections = r.jsonPath().getList("detections");
        assertEquals(5, detections.size());
        for (int i = 1; i < detections.size(); i++) {
            assertTrue(confidence(detections.get(i - 1)) >= confidence(detections.get(i)), "sorted by confidence");
        }
        for (Object[] ref : BUS_REFERENCE) {
            double best = detections.stream().filter(d -> d.get("label").equals(ref[0]))
                    .mapToDouble(d -> iou(box(d), new float[] {(float) ref[1], (float) ref[2], (float) ref[3], (float) ref[4]}))
                    .max().orElse(0);
            assertTrue(best >= 0.9, ref[0] + " reference box matched with IoU " + best);
        }
    }

    @Test
    void zidaneHasTwoPeopleAndATie() {
        postImage("/detect", "zidane.jpg").then().statusCode(200)
                .body("counts", equalTo(Map.of("person", 2, "tie", 1)))
                .body("detections.classId", containsInAnyOrder(0, 0, 27));
    }

    @Test
    void anExifRotatedPhotoIsDetectedUpright() {
        edge.image.OpenCv.ensureLoaded();
        Mat upright = Imgcodecs.imdecode(new MatOfByte(Fixtures.imageBytes("bus.jpg")), Imgcodecs.IMREAD_COLOR);
        Mat stored = new Mat();
        org.opencv.core.Core.rotate(upright, stored, org.opencv.core.Core.ROTATE_90_COUNTERCLOCKWISE);
        byte[] rotated = ImageBytes.withExifOrientation(ImageBytes.encode(stored, ".jpg"), 6);
        Response r = given().contentType("image/jpeg").body(rotated).when().post("/detect");
        r.then().statusCode(200)
                .body("image.width", equalTo(810)).body("image.height", equalTo(1080))
                .body("counts", equalTo(Map.of("person", 4, "bus", 1)));
        List<Map<String, Object>> detections = r.jsonPath().getList("detections");
        Object[] bus = BUS_REFERENCE.get(3);
        double best = detections.stream().filter(d -> d.get("label").equals("bus"))
                .mapToDouble(d -> iou(box(d), new float[] {(float) bus[1], (float) bus[2], (float) bus[3], (float) bus[4]}))
                .max().orElse(0);
        assertTrue(best >= 0.9, "the bus box follows the rotation, IoU " + best);
    }

    @Test
    void countAnswersTheReportLine() {
        postImage("/count", "bus.jpg").then().statusCode(200)
                .body("report", equalTo("person 4, bus 1"))
                .body("total", equalTo(5))
                .body("counts", equalTo(Map.of("person", 4, "bus", 1)))
                .body("model.name", equalTo("yolov8n-int8-dynamic"));
    }

    @Test
    void multipartUploadGivesTheSameAnswerAsARawBody() {
        given().multiPart("image", Fixtures.image("zidane.jpg").toFile(), "image/jpeg")
                .when().post("/count")
                .then().statusCode(200).body("report", equalTo("person 2, tie 1"));
        given().multiPart("image", "frame.jpg", Fixtures.imageBytes("bus.jpg"), "image/jpeg")
                .when().post("/detect")
                .then().statusCode(200).body("counts", equalTo(Map.of("person", 4, "bus", 1)));
    }

    @Test
    void parametersOverrideTheDefaults() {
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("classes", "bus").when().post("/count")
                .then().statusCode(200).body("report", equalTo("bus 1"));
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("classes", "0").queryParam("maxDet", 2).when().post("/count")
                .then().statusCode(200).body("report", equalTo("person 2"));
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("conf", 0.5).when().post("/count")
                .then().statusCode(200).body("report", equalTo("person 3, bus 1"));
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("conf", 0.99).when().post("/count")
                .then().statusCode(200).body("total", equalTo(0)).body("report", equalTo(""))
                .body("counts", equalTo(Map.of()));
    }

    @Test
    void cocoFormatUsesOfficialCategoryIds() {
        Response r = given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("format", "coco").queryParam("imageId", 42).when().post("/detect");
        r.then().statusCode(200);
        List<Map<String, Object>> results = r.jsonPath().getList("");
        assertEquals(5, results.size());
        assertTrue(results.stream().allMatch(d -> ((Number) d.get("image_id")).intValue() == 42));
        // COCO category 6 is "bus", 1 is "person"; YOLO's class ids are 5 and 0.
        assertEquals(1, results.stream().filter(d -> ((Number) d.get("category_id")).intValue() == 6).count());
        assertEquals(4, results.stream().filter(d -> ((Number) d.get("category_id")).intValue() == 1).count());
        List<Number> bbox = (List<Number>) results.get(0).get("bbox");
        assertEquals(4, bbox.size());
        assertTrue(bbox.get(2).doubleValue() > 0 && bbox.get(3).doubleValue() > 0, "bbox is x, y, width, height");
    }

    @Test
    void annotateAnswersAnImageOfTheSameSize() {
        byte[] jpeg = postImage("/annotate", "bus.jpg").then().statusCode(200).contentType("image/jpeg")
                .extract().asByteArray();
        assertSize(jpeg, 810, 1080);
        byte[] png = given().contentType("image/jpeg").accept("image/png").body(Fixtures.imageBytes("zidane.jpg"))
                .when().post("/annotate").then().statusCode(200).contentType("image/png").extract().asByteArray();
        assertSize(png, 1280, 720);
        assertEquals((byte) 0x89, png[0]);
    }

    @Test
    void healthSaysReadyAndNamesTheModel() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.find { it.name == 'model' }.data.name", equalTo("yolov8n-int8-dynamic"))
                .body("checks.find { it.name == 'model' }.data.sha256", equalTo("83de8f0d2cd521e00ae2b138c340a03dece35b060b3898509bdc69afff417312"));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
        given().when().get("/q/health/started").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void metricsCountRequestsInferenceAndDetectionsPerClass() {
        postImage("/detect", "bus.jpg").then().statusCode(200);
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("http_server_requests_seconds_bucket{"), "latency histogram per endpoint");
        assertTrue(metrics.matches("(?s).*http_server_requests_seconds_count\\{[^}]*uri=\"/detect\"[^}]*} [1-9].*"));
        assertTrue(metrics.contains("edge_inference_seconds_count{model=\"yolov8n-int8-dynamic\"}"));
        assertTrue(metrics.matches("(?s).*edge_detections_total\\{class=\"bus\"} [1-9].*"));
    }

    @Test
    void responsesNeverLeakInternalsOfOtherEndpoints() {
        postImage("/count", "bus.jpg").then().body("$", not(hasKey("detections")));
        postImage("/detect", "bus.jpg").then().body("$", not(hasKey("report")))
                .body("detections[0].box", hasKey("x1"));
    }

    static double confidence(Map<String, Object> d) {
        return ((Number) d.get("confidence")).doubleValue();
    }

    static float[] box(Map<String, Object> d) {
        Map<String, Number> b = (Map<String, Number>) d.get("box");
        return new float[] {b.get("x1").floatValue(), b.get("y1").floatValue(), b.get("x2").floatValue(),
                b.get("y2").floatValue()};
    }

    static double iou(float[] a, float[] b) {
        double iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
        double ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
        if (iw <= 0 || ih <= 0) {
            return 0;
        }
        double inter = iw * ih;
        return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
    }

    static void assertSize(byte[] encoded, int width, int height) {
        edge.image.OpenCv.ensureLoaded();
        Mat decoded = Imgcodecs.imdecode(new MatOfByte(encoded), Imgcodecs.IMREAD_COLOR);
        try {
            assertEquals(width, decoded.cols());
            assertEquals(height, decoded.rows());
        } finally {
            decoded.release();
        }
    }
}
