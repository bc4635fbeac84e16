package edge.api.rest;

import edge.testing.Fixtures;
import edge.testing.ImageBytes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/** Every refusal of the REST API: a JSON {error, status} with the right status, and the service keeps serving. */
@QuarkusTest
class ErrorResponsesTest {

    static ValidatableResponse post(String contentType, byte[] body) {
        return given().contentType(contentType).body(body).when().post("/detect").then();
    }

    static void assertError(ValidatableResponse r, int status, String messagePart) {
        r.statusCode(status).contentType("application/json")
                .body("status", equalTo(status))
                .body("error", containsString(messagePart));
    }

    @Test
    void emptyBodyIs400() {
        assertError(post("image/jpeg", new byte[0]), 400, "empty");
    }

    @Test
    void randomBytesAre400() {
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        assertError(post("image/jpeg", noise), 400, "not an image");
        assertError(post("application/octet-stream", "hello, I am text".getBytes(StandardCharsets.UTF_8)), 400,
                "not an image");
    }

    @Test
    void corruptJpegIs400() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        byte[] headerOnly = Arrays.copyOf(bus, 600);
        assertError(post("image/jpeg", headerOnly), 400, "unreadable image header");
    }

    @Test
    void unsupportedContentTypeIs415() {
        assertError(post("text/plain", "hello".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type");
        assertError(post("application/json", "{}".getBytes(StandardCharsets.UTF_8)), 415, "Content-Type");
    }

    @Test
    void unsupportedImageFormatsAre415() {
        assertError(post("image/gif", ImageBytes.gif()), 415, "GIF");
        assertError(post("image/svg+xml", ImageBytes.svg()), 415, "SVG");
    }

    @Test
    void bodyOverMaxBytesIs413() {
        byte[] big = new byte[20 * 1024 * 1024 + 1];
        assertError(post("image/jpeg", big), 413, "edge.image.max-bytes");
    }

    @Test
    void pixelsOverTheLimitAre413BeforeDecoding() {
        assertError(post("image/png", ImageBytes.pngClaiming(60000, 60000)), 413, "60000x60000");
    }

    @Test
    void badParametersAre400() {
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("conf", "abc").post("/detect").then(),
                400, "conf must be a number");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("conf", "1.5").post("/count").then(),
                400, "conf must be between 0 and 1");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("iou", "-0.1").post("/detect").then(),
                400, "iou must be between 0 and 1");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("maxDet", "0").post("/detect").then(),
                400, "maxDet must be between 1 and");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("classes", "unicorn").post("/detect").then(),
                400, "unknown class 'unicorn'");
        assertError(given().contentType("image/jpeg").body(bus).queryParam("format", "xml").post("/detect").then(),
                400, "format must be");
    }

    @Test
    void multipartWithoutTheImageFieldIs400() {
        assertError(given().multiPart("picture", "bus.jpg", Fixtures.imageBytes("bus.jpg"), "image/jpeg")
                .post("/count").then(), 400, "no file field 'image'");
    }

    @Test
    void annotateErrorsAreJsonToo() {
        assertError(given().contentType("image/jpeg").accept("image/jpeg").body(new byte[0]).post("/annotate").then(),
                400, "empty");
    }

    @Test
    void theServiceStillAnswersAfterBadInput() {
        post("image/png", ImageBytes.pngClaiming(60000, 60000)).statusCode(413);
        post("image/jpeg", new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF}).statusCode(400);
        given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).post("/count")
                .then().statusCode(200).body("report", equalTo("person 4, bus 1"));
    }
}
