package edge.web;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

/** {@code GET /samples}: the sample images of the Detect page, and nothing outside their folder. */
@QuarkusTest
@TestProfile(WithSamples.class)
class SamplesResourceTest {

    @Test
    void listsTheImagesOfTheFolderByName() {
        given().when().get("/samples")
                .then().statusCode(200).contentType("application/json")
                .body("$", contains("bus.jpg", "zidane.jpg"));
    }

    @Test
    void servesAListedImageWithItsType() {
        byte[] body = given().when().get("/samples/bus.jpg")
                .then().statusCode(200).contentType("image/jpeg")
                .extract().asByteArray();
        assertArrayEquals(Fixtures.imageBytes("bus.jpg"), body);
    }

    @Test
    void unknownNamesAnswer404InJson() {
        given().when().get("/samples/nope.jpg")
                .then().statusCode(404).contentType("application/json")
                .body("status", equalTo(404))
                .body("error", containsString("nope.jpg"));
    }

    @Test
    void pathTraversalAnswers404() {
        // Encoded separators reach the resource as one path segment "../../models/...": not a listed name.
        given().urlEncodingEnabled(false)
                .when().get("/samples/..%2F..%2Fmodels%2F" + Fixtures.DYNAMIC)
                .then().statusCode(404);
        given().urlEncodingEnabled(false)
                .when().get("/samples/..%2Fimages%2Fbus.jpg")
                .then().statusCode(404);
        // An absolute path, which Path.resolve would follow as is.
        given().urlEncodingEnabled(false)
                .when().get("/samples/%2Fetc%2Fpasswd")
                .then().statusCode(404);
    }
}
