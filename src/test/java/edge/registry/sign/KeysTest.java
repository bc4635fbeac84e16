package edge.registry.sign;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeysTest {

    private static final KeyPair PAIR = Keys.generate();

    @TempDir
    Path dir;

    @Test
    void pemRoundTrip() throws Exception {
        String privatePem = Keys.toPem(PAIR.getPrivate());
        String publicPem = Keys.toPem(PAIR.getPublic());
        assertTrue(privatePem.startsWith("-----BEGIN PRIVATE KEY-----\n"), privatePem);
        assertTrue(privatePem.endsWith("\n-----END PRIVATE KEY-----\n"), privatePem);
        assertTrue(publicPem.startsWith("-----BEGIN PUBLIC KEY-----\n"), publicPem);
        assertArrayEquals(PAIR.getPrivate().getEncoded(), Keys.readPrivate(write("k.pem", privatePem)).getEncoded());
        assertArrayEquals(PAIR.getPublic().getEncoded(), Keys.readPublic(write("p.pem", publicPem)).getEncoded());
        // CRLF line ends and text around the block (comments some tools add) are fine.
        String decorated = "key for the model registry\r\n" + publicPem.replace("\n", "\r\n") + "\r\n";
        assertArrayEquals(PAIR.getPublic().getEncoded(), Keys.parsePublic(decorated, "decorated").getEncoded());
    }

    @Test
    void theWrongKindOfPemIsNamed() throws Exception {
        String privatePem = Keys.toPem(PAIR.getPrivate());
        String publicPem = Keys.toPem(PAIR.getPublic());
        assertPublicFails(InvalidKeySpecException.class, privatePem, "holds a private key");
        assertPrivateFails(InvalidKeySpecException.class, publicPem, "holds a public key");
        assertPublicFails(InvalidKeySpecException.class, "", "no PEM key");
        assertPublicFails(InvalidKeySpecException.class, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "no PEM key");
        assertPublicFails(InvalidKeySpecException.class, publicPem + publicPem, "2 PEM blocks");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), "encrypted PKCS#8");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY"), "cosign import-key-pair");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "RSA PRIVATE KEY"), "an RSA key");
        assertPublicFails(InvalidKeySpecException.class,
                publicPem.replace("PUBLIC KEY", "CERTIFICATE"), "openssl x509");
        assertPublicFails(InvalidKeySpecException.class,
                "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "not valid base64");
        assertPublicFails(InvalidKeySpecException.class,
                "-----BEGIN PUBLIC KEY-----\nMAMCAQE=\n-----END PUBLIC KEY-----\n", "not a valid X.509 public key");
    }

    @Test
    void otherAlgorithmsAndCurvesAreNamed() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair rsaPair = rsa.generateKeyPair();
        assertPublicFails(InvalidKeyException.class, pem("PUBLIC KEY", rsaPair.getPublic().getEncoded()),
                "key algorithm is RSA; only EC P-256");
        assertPrivateFails(InvalidKeyException.class, pem("PRIVATE KEY", rsaPair.getPrivate().getEncoded()),
                "key algorithm is RSA; only EC P-256");

        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertPublicFails(InvalidKeyException.class, pem("PUBLIC KEY", ed.getPublic().getEncoded()),
                "key algorithm is Ed25519");

        KeyPair p384 = ecPair("secp384r1");
        assertPublicFails(InvalidKeyException.class, pem("PUBLIC KEY", p384.getPublic().getEncoded()),
                "EC key on P-384 (secp384r1); only P-256");
        assertPrivateFails(InvalidKeyException.class, pem("PRIVATE KEY", p384.getPrivate().getEncoded()),
                "EC key on P-384 (secp384r1); only P-256");

        assertThrows(IllegalArgumentException.class, () -> Keys.toPem(rsaPair.getPublic()));
        assertThrows(IllegalArgumentException.class, () -> Keys.toPem(p384.getPrivate()));
    }

    @Test
    void aPointOffTheCurveIsRefused() throws Exception {
        byte[] der = PAIR.getPublic().getEncoded();
        der[der.length - 1] ^= 0x01;   // last byte of y: the point leaves the curve
        GeneralSecurityException e = assertThrows(GeneralSecurityException.class,
                () -> Keys.parsePublic(pem("PUBLIC KEY", der), "bent.pem"));
        assertTrue(e.getMessage().contains("bent.pem"), e.getMessage());
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    static String pem(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END "
                + label + "-----\n";
    }

    private void assertPublicFails(Class<? extends GeneralSecurityException> type, String pem, String expected)
            throws Exception {
        Path file = write("public.pem", pem);
        GeneralSecurityException e = assertThrows(type, () -> Keys.readPublic(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    private void assertPrivateFails(Class<? extends GeneralSecurityException> type, String pem, String expected)
            throws Exception {
        Path file = write("private.pem", pem);
        GeneralSecurityException e = assertThrows(type, () -> Keys.readPrivate(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }

    @Test
    void fingerprintIsSha256OfTheDerPublicKey() throws Exception {
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(PAIR.getPublic().getEncoded());
        assertEquals(java.util.HexFormat.of().formatHex(sha), Keys.fingerprint(PAIR.getPublic()));
    }

    static KeyPair ecPair(String curve) throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(curve));
        return generator.generateKeyPair();
    }
}
