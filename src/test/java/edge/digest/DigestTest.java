package edge.digest;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The sha256 digest value: its grammar and its hashing of bytes and files. */
class DigestTest {

    /** FIPS 180-2's first test vector: SHA-256 of "abc". */
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void parsesTheOciForm() {
        Digest digest = Digest.parse("sha256:" + ABC);
        assertEquals(ABC, digest.hex());
        assertEquals("sha256:" + ABC, digest.toString());
        assertEquals(Digest.parse("sha256:" + ABC), digest);
        assertEquals(Digest.parse("sha256:" + ABC).hashCode(), digest.hashCode());
        assertTrue(Digest.isValid("sha256:" + ABC));
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"sha256:" + ABC.toUpperCase(), "sha256:" + ABC.substring(1),
                "sha256:" + ABC + "0", "sha256:" + ABC + " ", "sha256:" + ABC + "\n", " sha256:" + ABC,
                "sha512:" + ABC + ABC, "SHA256:" + ABC, ABC, "sha256:", "", "sha256:" + ABC.replace('a', 'g')}) {
            assertThrows(IllegalArgumentException.class, () -> Digest.parse(bad), bad);
            assertFalse(Digest.isValid(bad), bad);
        }
        assertThrows(IllegalArgumentException.class, () -> Digest.parse(null));
        assertFalse(Digest.isValid(null));
        IllegalArgumentException sha512 = assertThrows(IllegalArgumentException.class,
                () -> Digest.parse("sha512:" + ABC + ABC));
        assertTrue(sha512.getMessage().contains("only sha256 digests are supported"), sha512.getMessage());
        IllegalArgumentException upper = assertThrows(IllegalArgumentException.class,
                () -> Digest.parse("sha256:" + ABC.toUpperCase()));
        assertTrue(upper.getMessage().contains("64 lower-case hex digits"), upper.getMessage());
    }

    @Test
    void hashesBytesAndFilesAlike(@TempDir Path dir) throws Exception {
        byte[] abc = "abc".getBytes(StandardCharsets.US_ASCII);
        Path file = Files.write(dir.resolve("abc"), abc);
        assertEquals("sha256:" + ABC, Digest.of(abc).toString());
        assertEquals(Digest.of(abc), Digest.of(file));
        assertEquals(Digest.parse("sha256:" + ABC), Digest.of(file));

        // Larger than the streaming buffer, so that the file is hashed in several reads.
        byte[] big = new byte[200_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        assertEquals(Digest.of(big), Digest.of(Files.write(dir.resolve("big"), big)));
        assertNotEquals(Digest.of(abc), Digest.of(big));
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Digest.of(new byte[0]).hex());
    }
}
