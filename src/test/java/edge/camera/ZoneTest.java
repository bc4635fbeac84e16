package edge.camera;

import edge.detect.Box;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ZoneTest {

    @Test
    void aBoxCountsWhereItStandsItsBottomCentre() {
        Zone left = Zone.parse("left", "0,0 0.5,0 0.5,1 0,1");
        // 100x100 image: bottom-centre (30, 90) is left; a box reaching right with bottom-centre (60, 90) is not.
        assertTrue(left.contains(new Box(10, 10, 50, 90), 100, 100));
        assertFalse(left.contains(new Box(20, 10, 100, 90), 100, 100));
        Zone triangle = Zone.parse("triangle", "0,1 1,1 0.5,0");
        assertTrue(triangle.contains(new Box(40, 0, 60, 99), 100, 100));
        assertFalse(triangle.contains(new Box(0, 0, 10, 20), 100, 100));
    }

    @Test
    void badPolygonsAreRefusedWithWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Zone.parse("z", "0,0 1,1"))
                .getMessage().contains("at least 3 points"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Zone.parse("z", "0,0 2,0 0,1"))
                .getMessage().contains("outside 0..1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Zone.parse("z", "0;0 1,0 0,1"))
                .getMessage().contains("not a point"));
    }

    @Test
    void anMjpegStreamWithoutContentLengthIsSplitAtItsBoundaries() throws IOException {
        byte[] first = {(byte) 0xff, (byte) 0xd8, 1, 2, '\r', '\n', '-', 3, (byte) 0xff, (byte) 0xd9};
        byte[] second = {(byte) 0xff, (byte) 0xd8, 9, (byte) 0xff, (byte) 0xd9};
        String head = "--cam\r\nContent-Type: image/jpeg\r\n\r\n";
        ByteArrayInputStream stream = new ByteArrayInputStream(concat(head.getBytes(StandardCharsets.US_ASCII), first,
                ("\r\n" + head).getBytes(StandardCharsets.US_ASCII), second,
                "\r\n--cam--\r\n".getBytes(StandardCharsets.US_ASCII)));
        try (MjpegReader reader = new MjpegReader(stream, MjpegReader.boundary("multipart/x-mixed-replace;boundary=\"cam\""),
                1000, "test")) {
            byte[] got = reader.newest(Duration.ofSeconds(5));
            // The reader keeps only the newest frame: the second (or, if asked early, the first).
            assertTrue(java.util.Arrays.equals(got, second) || java.util.Arrays.equals(got, first));
            if (java.util.Arrays.equals(got, first)) {
                assertArrayEquals(second, reader.newest(Duration.ofSeconds(5)));
            }
            IOException end = assertThrows(IOException.class, () -> reader.newest(Duration.ofSeconds(5)));
            assertEquals("the stream ended", end.getMessage());
        }
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
