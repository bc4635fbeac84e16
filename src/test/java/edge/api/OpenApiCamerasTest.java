package edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edge.camera.CamerasProfile;
import edge.testing.Cameras;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/** The camera endpoints' real answers against their documented schemas, with cameras configured (CamerasProfile). */
@QuarkusTest
@TestProfile(CamerasProfile.class)
class OpenApiCamerasTest {

    @TestHTTPResource("/cameras/bus/events")
    URI events;

    @Test
    void cameraAnswersMatchTheirSchemas() throws Exception {
        JsonNode doc = OpenApiDocumentTest.document();
        Cameras.latestCount("bus");
        Set<String> noCache = Set.of("cache");
        OpenApiDocumentTest.matches(doc, "get", "/count", given().queryParam("camera", "bus").get("/count"), 200,
                noCache);
        OpenApiDocumentTest.matches(doc, "get", "/cameras", given().get("/cameras"), 200, noCache);
        OpenApiDocumentTest.matches(doc, "get", "/cameras/{id}/frame", given().get("/cameras/bus/frame"), 200,
                Set.of());
        OpenApiDocumentTest.matches(doc, "get", "/count", given().queryParam("camera", "nope").get("/count"), 404,
                Set.of());
        OpenApiDocumentTest.matches(doc, "get", "/count", given().queryParam("camera", "broken").get("/count"), 503,
                Set.of());
        OpenApiDocumentTest.matches(doc, "get", "/cameras/{id}/events", given().get("/cameras/nope/events"), 404,
                Set.of());
    }

    @Test
    void anEventsDataIsTheDocumentedCameraCount() throws Exception {
        JsonNode doc = OpenApiDocumentTest.document();
        Cameras.latestCount("bus");
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<java.io.InputStream> response = client.send(HttpRequest.newBuilder(events)
                .timeout(Duration.ofSeconds(30)).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, response.statusCode());
        String type = response.headers().firstValue("Content-Type").orElse("").split(";")[0].trim();
        JsonNode documented = doc.at("/paths/~1cameras~1{id}~1events/get/responses/200/content/"
                + type.replace("/", "~1") + "/schema");
        assertEquals(false, documented.isMissingNode(), "Content-Type " + type + " is documented");
        String data = null;
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(response.body()))) {
            for (String line = lines.readLine(); line != null && data == null; line = lines.readLine()) {
                data = line.startsWith("data:") ? line.substring(5).trim() : null;
            }
        }
        assertNotNull(data, "an event with data");
        List<String> problems = new ArrayList<>();
        OpenApiDocumentTest.check(doc, documented, new ObjectMapper().readTree(data), "event", Set.of("cache"),
                problems);
        assertEquals(List.of(), problems, "the event's data differs from its schema: " + data);
    }
}
