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
        assertPublicFails(InvalidKeySpecException.class, "", "holds 0 PEM blocks");
        assertPublicFails(InvalidKeySpecException.class, "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE", "holds 0 PEM blocks");
        assertPublicFails(InvalidKeySpecException.class, publicPem + publicPem, "2 PEM blocks");
        // Refused by the PEM label alone, each with the openssl command that makes a readable key.
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "EC PRIVATE KEY"), "openssl pkcs8 -topk8 -nocrypt -in ");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "ENCRYPTED PRIVATE KEY"), "encrypted keys are not supported");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "ENCRYPTED SIGSTORE PRIVATE KEY"), "make the key with openssl");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY"), "make the key with openssl");
        assertPrivateFails(InvalidKeySpecException.class,
                privatePem.replace("PRIVATE KEY", "RSA PRIVATE KEY"), "'RSA PRIVATE KEY' PEM block");
        assertPublicFails(InvalidKeySpecException.class,
                publicPem.replace("PUBLIC KEY", "CERTIFICATE"), "openssl x509");
        assertPublicFails(InvalidKeySpecException.class,
                "-----BEGIN PUBLIC KEY-----\n!!!!\n-----END PUBLIC KEY-----\n", "not a valid X.509 public key");
        assertPublicFails(InvalidKeySpecException.class,
                "-----BEGIN PUBLIC KEY-----\nMAMCAQE=\n-----END PUBLIC KEY-----\n", "not a valid X.509 public key");
        assertPrivateFails(InvalidKeySpecException.class,
                "-----BEGIN PRIVATE KEY-----\nMAMCAQE=\n-----END PRIVATE KEY-----\n", "not a valid PKCS#8 private key");
    }

    @Test
    void filesOver64KiBAreRefusedUnread() throws Exception {
        Path big = write("model.bin", Keys.toPem(PAIR.getPublic()) + "x".repeat(64 * 1024));
        assertThrows(java.io.IOException.class, () -> Keys.readPublic(big));
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
                "key algorithm is EdDSA; only EC P-256");
        assertPrivateFails(InvalidKeyException.class, pem("PRIVATE KEY", ed.getPrivate().getEncoded()),
                "key algorithm is EdDSA; only EC P-256");

        KeyPair p384 = ecPair("secp384r1");
        assertPublicFails(InvalidKeyException.class, pem("PUBLIC KEY", p384.getPublic().getEncoded()),
                "EC key on secp384r1");
        assertPrivateFails(InvalidKeyException.class, pem("PRIVATE KEY", p384.getPrivate().getEncoded()),
                "only P-256 is accepted");

        assertThrows(IllegalArgumentException.class, () -> Keys.toPem(rsaPair.getPublic()));
        assertThrows(IllegalArgumentException.class, () -> Keys.toPem(p384.getPrivate()));
    }

    /** The JDK reads a public point that is off the curve without complaint; such a key then verifies nothing. */
    @Test
    void aDamagedPublicKeyVerifiesNothing() throws Exception {
        byte[] der = PAIR.getPublic().getEncoded();
        der[der.length - 1] ^= 0x01;   // last byte of y: the point leaves the curve
        SignatureVerifier damaged = new SignatureVerifier(Keys.parsePublic(pem("PUBLIC KEY", der), "bent.pem"));
        SignedPayload signed = new ModelSigner(PAIR.getPrivate()).sign(SignatureVerifierTest.REFERENCE,
                SignatureVerifierTest.DIGEST);
        assertThrows(SignatureRejected.class,
                () -> damaged.verify(signed.payload(), signed.signatureBase64(), SignatureVerifierTest.DIGEST));
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
