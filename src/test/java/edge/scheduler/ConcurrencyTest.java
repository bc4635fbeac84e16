package edge.scheduler;

import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** 16 concurrent clients with mixed images get exactly the answers single requests get (default: no batching). */
@QuarkusTest
class ConcurrencyTest {

    static List<byte[]> mixedImages() throws IOException {
        List<byte[]> images = new ArrayList<>();
        images.add(Fixtures.imageBytes("bus.jpg"));
        images.add(Fixtures.imageBytes("zidane.jpg"));
        try (Stream<Path> files = Files.list(Fixtures.coco128().resolve("images"))) {
            for (Path p : files.sorted().limit(6).toList()) {
                images.add(Files.readAllBytes(p));
            }
        }
        return images;
    }

    /** The detections of one image, as text: labels, confidences and boxes, in order. */
    static String detections(byte[] image) {
        return RestAssured.given().contentType("image/jpeg").body(image).post("/detect")
                .then().statusCode(200).extract().jsonPath().getList("detections").toString();
    }

    static void assertConcurrentEqualsSingle() throws Exception {
        List<byte[]> images = mixedImages();
        Map<Integer, String> single = new HashMap<>();
        for (int i = 0; i < images.size(); i++) {
            single.put(i, detections(images.get(i)));
        }
        List<Callable<String[]>> calls = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            for (int k = 0; k < 3; k++) {
                int index = (c + k) % images.size();
                calls.add(() -> new String[] {Integer.toString(index), detections(images.get(index))});
            }
        }
        List<String[]> answers = Concurrent.run(16, calls);
        assertEquals(48, answers.size());
        for (String[] a : answers) {
            assertEquals(single.get(Integer.parseInt(a[0])), a[1], "image " + a[0]);
        }
    }

    @Test
    void sixteenClientsGetTheSameAnswersAsSingleRequests() throws Exception {
        assertConcurrentEqualsSingle();
    }
}
