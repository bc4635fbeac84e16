package edge.api.kserve;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.Test;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** KServe v2 over REST ({@code inference_rest.md}) through the real HTTP port. */
@QuarkusTest
class KServeRestTest {

    static final String MODEL = KServeGrpcTest.MODEL;

    @Test
    void serverAndModelEndpoints() {
        given().get("/v2").then().statusCode(200).body("name", equalTo("edge-detector"));
        given().get("/v2/health/live").then().statusCode(200).body("live", equalTo(true));
        given().get("/v2/health/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/" + MODEL + "/ready").then().statusCode(200).body("ready", equalTo(true));
        given().get("/v2/models/" + MODEL + "/versions/8.4.115/ready").then().statusCode(200);
        given().get("/v2/models/" + MODEL).then().statusCode(200)
                .body("name", equalTo(MODEL))
                .body("versions", equalTo(List.of("8.4.115")))
                .body("platform", equalTo("onnxruntime_onnx"))
                .body("inputs.name", equalTo(List.of("images", "image")))
                .body("inputs[0].shape", equalTo(List.of(1, 3, 640, 640)))
                .body("outputs.name", hasItem("boxes"))
                .body("parameters.'mode.raw_tensor'", containsString("output0"));
        given().get("/v2/models/" + MODEL + "/versions/8.4.115").then().statusCode(200);
    }

    @Test
    void encodedImageInferEqualsDetect() {
        Map<String, Object> request = Map.of(
                "id", "req-7",
                "parameters", Map.of("conf", 0.3, "max_det", 10),
                "inputs", List.of(Map.of("name", "image", "datatype", "BYTES", "shape", List.of(1),
                        "data", List.of(Base64.getEncoder().encodeToString(Fixtures.imageBytes("bus.jpg"))))));
        Response r = given().contentType("application/json").body(request).post("/v2/models/" + MODEL + "/infer");
        r.then().statusCode(200).body("model_name", equalTo(MODEL)).body("id", equalTo("req-7"))
                .body("outputs.name", equalTo(List.of("boxes", "scores", "class_ids", "labels")));
        List<Map<String, Object>> expected = given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg"))
                .queryParam("conf", 0.3).queryParam("maxDet", 10).post("/detect").jsonPath().getList("detections");
        List<Number> boxes = r.jsonPath().getList("outputs[0].data");
        List<Number> scores = r.jsonPath().getList("outputs[1].data");
        List<Integer> ids = r.jsonPath().getList("outputs[2].data");
        List<String> labels = r.jsonPath().getList("outputs[3].data");
        // bus.jpg at conf 0.3: its 4 people and the bus. An empty answer on both sides would compare nothing.
        assertEquals(5, expected.size(), "detections of /detect: " + expected);
        assertEquals(List.of(expected.size(), 4), r.jsonPath().getList("outputs[0].shape"));
        assertEquals(4 * expected.size(), boxes.size());
        assertEquals(expected.size(), scores.size());
        assertEquals(expected.size(), ids.size());
        assertEquals(expected.size(), labels.size());
        for (int i = 0; i < expected.size(); i++) {
            Map<String, Object> d = expected.get(i);
            Map<String, Number> box = (Map<String, Number>) d.get("box");
            assertEquals(box.get("x1").floatValue(), boxes.get(4 * i).floatValue());
            assertEquals(box.get("y2").floatValue(), boxes.get(4 * i + 3).floatValue());
            assertEquals(((Number) d.get("confidence")).floatValue(), scores.get(i).floatValue());
            assertEquals(d.get("classId"), ids.get(i));
            assertEquals(d.get("label"), labels.get(i));
        }
    }

    @Test
    void rawTensorInferEqualsADirectOnnxRuntimeRun() throws Exception {
        DirectRun direct = DirectRun.of("zidane.jpg");
        List<Float> data = new ArrayList<>(direct.input().length);
        for (float v : direct.input()) {
            data.add(v);
        }
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("name", "images");
        input.put("datatype", "FP32");
        input.put("shape", List.of(1, 3, 640, 640));
        input.put("data", data);
        Response r = given().contentType("application/json").body(Map.of("inputs", List.of(input),
                "outputs", List.of(Map.of("name", "output0")))).post("/v2/models/" + MODEL + "/versions/8.4.115/infer");
        r.then().statusCode(200).body("outputs[0].name", equalTo("output0"))
                .body("outputs[0].shape", equalTo(List.of(1, 84, 8400)));
        List<Number> values = r.jsonPath().getList("outputs[0].data");
        FloatBuffer served = FloatBuffer.allocate(values.size());
        values.forEach(v -> served.put(v.floatValue()));
        served.flip();
        direct.assertClose(served);
    }

    @Test
    void errors() {
        given().get("/v2/models/resnet").then().statusCode(404).body("error", containsString("not served here"));
        given().get("/v2/models/" + MODEL + "/versions/9/ready").then().statusCode(404);
        given().contentType("application/json").body("{\"inputs\": [").post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("malformed JSON"));
        given().contentType("application/json").body(Map.of("inputs", List.of(Map.of("name", "images",
                        "datatype", "FP32", "shape", List.of(1, 3, 2, 2), "data", List.of(1, 2, 3)))))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("must have shape [1, 3, 640, 640]"));
        given().contentType("application/json").body(Map.of("inputs", List.of(Map.of("name", "image",
                        "datatype", "FP32", "shape", List.of(1), "data", List.of(1)))))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("must be BYTES"));
        given().contentType("application/json").body(Map.of("inputs", List.of(Map.of("name", "image",
                        "datatype", "BYTES", "shape", List.of(1), "data", List.of("%%%")))))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("not base64"));
        given().contentType("application/json").body(Map.of("inputs", List.of(Map.of("name", "image",
                        "datatype", "BYTES", "shape", List.of(1),
                        "data", List.of(Base64.getEncoder().encodeToString(Fixtures.imageBytes("bus.jpg"))))),
                        "outputs", List.of(Map.of("name", "masks"))))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("unknown output 'masks'"));
        given().contentType("application/json").body(Map.of("id", "x"))
                .post("/v2/models/" + MODEL + "/infer")
                .then().statusCode(400).body("error", containsString("no 'inputs'"));
    }
}
