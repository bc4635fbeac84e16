package edge.registry.oci;

import edge.digest.Digest;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Names, references, digests and endpoints are checked before anything is sent. */
class ValidationTest {

    private static final String HEX = "0123456789abcdef".repeat(4);

    @Test
    void repositoryNames() {
        for (String ok : new String[] {"a", "edge/models/yolo", "a.b_c__d-e--f/g0", "x9/y8"}) {
            assertEquals(ok, OciNames.requireRepository(ok));
        }
        for (String bad : new String[] {"", "Edge", "a//b", "/a", "a/", "a..b", "a___b", "-a", "a-", "a b", "a:b",
                "a".repeat(256)}) {
            assertThrows(IllegalArgumentException.class, () -> OciNames.requireRepository(bad), bad);
        }
    }

    @Test
    void referencesAndDigests() {
        for (String ok : new String[] {"v1", "latest", "_x", "1.2.3-rc.1", "A".repeat(128), "sha256:" + HEX}) {
            assertEquals(ok, OciNames.requireReference(ok));
        }
        for (String bad : new String[] {"", ".v1", "-v1", "A".repeat(129), "v/1", "sha256:" + HEX.toUpperCase(),
                "sha256:abc"}) {
            assertThrows(IllegalArgumentException.class, () -> OciNames.requireReference(bad), bad);
        }
        IllegalArgumentException sha512 = assertThrows(IllegalArgumentException.class,
                () -> OciNames.requireDigest("sha512:" + HEX + HEX));
        assertTrue(sha512.getMessage().contains("only sha256 digests are supported"), sha512.getMessage());
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                Digest.of(new byte[0]).toString());
    }

    @Test
    void endpoints() {
        RegistryEndpoint plain = RegistryEndpoint.of("HTTP://127.0.0.1:5000/");
        assertEquals(URI.create("http://127.0.0.1:5000"), plain.url());
        assertEquals(RegistryEndpoint.DEFAULT_TIMEOUT, plain.timeout());
        assertEquals(Optional.empty(), plain.username());

        for (String bad : new String[] {"ftp://h", "http://h/v2", "http://h?x=1", "http://u:p@h", "127.0.0.1:5000"}) {
            assertThrows(IllegalArgumentException.class, () -> RegistryEndpoint.of(bad), bad);
        }
        URI url = URI.create("https://127.0.0.1:5000");
        assertThrows(IllegalArgumentException.class, () -> new RegistryEndpoint(url, Optional.of("u"),
                Optional.empty(), Optional.empty(), Optional.empty(), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> RegistryEndpoint.of(url).withCredentials("u", "p").withTimeout(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new RegistryEndpoint(url, Optional.of("u"),
                Optional.of("p"), Optional.of("t"), Optional.empty(), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class,
                () -> RegistryEndpoint.of("http://127.0.0.1:5000").withCaFile(Path.of("ca.pem")));

        RegistryEndpoint secret = RegistryEndpoint.of(url).withCredentials("ci", "hunter2");
        assertFalse(secret.toString().contains("hunter2"), secret.toString());
        assertFalse(RegistryEndpoint.of(url).withToken("tok3n").toString().contains("tok3n"));

        Map<String, String> annotations = new HashMap<>();
        annotations.put("a", "b");
        Descriptor d = new Descriptor("x/y", "sha256:" + HEX, 3, annotations);
        annotations.put("c", "d");
        assertEquals(Map.of("a", "b"), d.annotations());
        assertEquals(Map.of(), new Descriptor("x/y", "sha256:" + HEX, 3, null).annotations());
    }
}
