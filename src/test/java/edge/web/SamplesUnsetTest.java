package edge.web;

import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

/** Without {@code edge.ui.samples} there are no samples (and the Detect page hides its picker). */
@QuarkusTest
class SamplesUnsetTest {

    @Test
    void noFolderNoSamples() {
        given().when().get("/samples").then().statusCode(200).body("$", empty());
        given().when().get("/samples/bus.jpg").then().statusCode(404).body("status", equalTo(404));
    }

    @Test
    void theUiIsServed() {
        given().when().get("/").then().statusCode(200).contentType("text/html").body(containsString("id=\"report\""));
        given().when().get("/cameras.html").then().statusCode(200).contentType("text/html");
        given().when().get("/js/detect.js").then().statusCode(200);
    }
}
