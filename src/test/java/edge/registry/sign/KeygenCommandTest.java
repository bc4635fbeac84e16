package edge.registry.sign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeygenCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8);

    @Test
    void writesAUsableKeyPair() throws Exception {
        Path privatePem = dir.resolve("signing.pem");
        Path publicPem = dir.resolve("signing.pub.pem");
        assertEquals(0, KeygenCommand.run(List.of(privatePem.toString(), publicPem.toString()), out));

        SignatureVerifier verifier = SignatureVerifier.fromPem(publicPem);
        SignedPayload signed = ModelSigner.fromPem(privatePem).sign(SignatureVerifierTest.REFERENCE,
                SignatureVerifierTest.DIGEST);
        assertDoesNotThrow(() -> verifier.verify(signed.payload(), signed.signatureBase64(),
                SignatureVerifierTest.DIGEST));
        assertTrue(text().contains(Keys.fingerprint(Keys.readPublic(publicPem))), text());
        if (Files.getFileStore(privatePem).supportsFileAttributeView("posix")) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(privatePem)));
        }
    }

    @Test
    void refusesToOverwrite() throws Exception {
        Path privatePem = dir.resolve("k.pem");
        Path publicPem = dir.resolve("k.pub.pem");
        Files.writeString(publicPem, "keep me");
        assertEquals(1, KeygenCommand.run(List.of(privatePem.toString(), publicPem.toString()), out));
        assertTrue(text().contains("refusing to overwrite " + publicPem), text());
        assertEquals("keep me", Files.readString(publicPem));
        assertFalse(Files.exists(privatePem));

        Files.delete(publicPem);
        Files.writeString(privatePem, "keep me too");
        assertEquals(1, KeygenCommand.run(List.of(privatePem.toString(), publicPem.toString()), out));
        assertEquals("keep me too", Files.readString(privatePem));
        assertFalse(Files.exists(publicPem));
    }

    @Test
    void usageErrors() {
        for (List<String> args : List.of(List.<String>of(), List.of("only.pem"), List.of("a", "b", "c"))) {
            output.reset();
            assertEquals(2, KeygenCommand.run(args, out), args.toString());
            assertTrue(text().contains("usage: keygen PRIVATE.pem PUBLIC.pem"), text());
        }
        Path same = dir.resolve("same.pem");
        assertEquals(2, KeygenCommand.run(List.of(same.toString(), same.toString()), out));
        assertFalse(Files.exists(same));
    }

    @Test
    void unwritableTargetFailsWithoutLeavingAPrivateKey() {
        Path privatePem = dir.resolve("k.pem");
        Path publicPem = dir.resolve("missing-dir").resolve("k.pub.pem");
        assertEquals(1, KeygenCommand.run(List.of(privatePem.toString(), publicPem.toString()), out));
        assertTrue(text().contains("cannot write " + publicPem), text());
        assertFalse(Files.exists(privatePem));
    }

    private String text() {
        return output.toString(StandardCharsets.UTF_8);
    }
}
