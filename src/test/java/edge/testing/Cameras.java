package edge.testing;

import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

import java.util.concurrent.TimeUnit;

/** The service's configured cameras, seen through its REST API. */
public final class Cameras {

    private Cameras() {
    }

    /** Waits (at most 30 s) until {@code GET /count?camera=} answers 200, and returns that answer. */
    public static JsonPath latestCount(String camera) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            var response = RestAssured.get("/count?camera=" + camera);
            if (response.statusCode() == 200) {
                return response.jsonPath();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("camera " + camera + " never counted a frame: "
                + RestAssured.get("/cameras").asString());
    }
}
