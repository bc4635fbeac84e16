package edge.registry.sign;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignatureVerifierTest {

    static final String REFERENCE = "127.0.0.1:5000/models/yolov8n";
    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    static final String OTHER_DIGEST = "sha256:" + "fedcba9876543210".repeat(4);

    private static final KeyPair PAIR = Keys.generate();
    private static final ModelSigner SIGNER = new ModelSigner(PAIR.getPrivate());
    private static final SignatureVerifier VERIFIER = new SignatureVerifier(PAIR.getPublic());

    @Test
    void payloadIsCosignSimpleSigningJson() {
        String expected = "{\"critical\":{\"identity\":{\"docker-reference\":\"" + REFERENCE + "\"},"
                + "\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"},"
                + "\"type\":\"cosign container image signature\"},\"optional\":null}";
        assertEquals(expected, new String(SignatureLayout.payload(REFERENCE, DIGEST), StandardCharsets.UTF_8));
        assertArrayEquals(SignatureLayout.payload(REFERENCE, DIGEST), SIGNER.sign(REFERENCE, DIGEST).payload());
    }

    @Test
    void signatureTagFollowsCosign() {
        assertEquals("sha256-" + "0123456789abcdef".repeat(4) + ".sig", SignatureLayout.signatureTag(DIGEST));
        for (String bad : new String[] {null, "", "sha256:abc", "sha512:" + "ab".repeat(64),
                "sha256:" + "0123456789ABCDEF".repeat(4), DIGEST + "\n", "sha256-" + "0".repeat(64)}) {
            assertThrows(IllegalArgumentException.class, () -> SignatureLayout.signatureTag(bad), String.valueOf(bad));
        }
    }

    @Test
    void referenceIsARepositoryWithoutTagOrDigest() {
        for (String bad : new String[] {null, "", "yolov8n", "127.0.0.1:5000/models/yolov8n:v1",
                "127.0.0.1:5000/models/yolov8n@" + DIGEST, "127.0.0.1:5000/models/ yolo", "127.0.0.1:5000/"}) {
            assertThrows(IllegalArgumentException.class, () -> SIGNER.sign(bad, DIGEST), String.valueOf(bad));
        }
    }

    @Test
    void signedPayloadVerifies() {
        SignedPayload signed = SIGNER.sign(REFERENCE, DIGEST);
        assertDoesNotThrow(() -> VERIFIER.verify(signed.payload(), signed.signatureBase64(), DIGEST));
        // ECDSA is randomised: a second signature differs and verifies just as well.
        SignedPayload again = SIGNER.sign(REFERENCE, DIGEST);
        assertNotEquals(signed.signatureBase64(), again.signatureBase64());
        assertDoesNotThrow(() -> VERIFIER.verify(again.payload(), again.signatureBase64(), DIGEST));
    }

    @Test
    void payloadDigestIsTheBlobDigest() throws Exception {
        SignedPayload signed = SIGNER.sign(REFERENCE, DIGEST);
        byte[] sha = java.security.MessageDigest.getInstance("SHA-256").digest(signed.payload());
        assertEquals("sha256:" + java.util.HexFormat.of().formatHex(sha), signed.payloadDigest());
    }

    @Test
    void otherKeyIsRejectedNamingTheKey() {
        SignedPayload signed = new ModelSigner(Keys.generate().getPrivate()).sign(REFERENCE, DIGEST);
        SignatureRejected e = assertThrows(SignatureRejected.class,
                () -> VERIFIER.verify(signed.payload(), signed.signatureBase64(), DIGEST));
        assertTrue(e.getMessage().contains("does not verify with key " + VERIFIER.keyFingerprint()), e.getMessage());
    }

    @Test
    void payloadForAnotherDigestIsRejected() {
        SignedPayload signed = SIGNER.sign(REFERENCE, OTHER_DIGEST);
        SignatureRejected e = assertThrows(SignatureRejected.class,
                () -> VERIFIER.verify(signed.payload(), signed.signatureBase64(), DIGEST));
        assertTrue(e.getMessage().contains("signs another digest: " + OTHER_DIGEST + ", not " + DIGEST),
                e.getMessage());
    }

    @Test
    void everyTamperedByteIsRejected() {
        SignedPayload signed = SIGNER.sign(REFERENCE, DIGEST);
        byte[] payload = signed.payload();
        for (int i = 0; i < payload.length; i++) {
            byte[] tampered = payload.clone();
            tampered[i] ^= 0x01;
            SignatureRejected e = assertThrows(SignatureRejected.class,
                    () -> VERIFIER.verify(tampered, signed.signatureBase64(), DIGEST), "byte " + i);
            assertTrue(e.getMessage().startsWith("signature does not verify"), e.getMessage());
        }
        byte[] longer = (new String(payload, StandardCharsets.UTF_8) + " ").getBytes(StandardCharsets.UTF_8);
        assertThrows(SignatureRejected.class, () -> VERIFIER.verify(longer, signed.signatureBase64(), DIGEST));
    }

    @Test
    void tamperedSignatureIsRejected() {
        SignedPayload signed = SIGNER.sign(REFERENCE, DIGEST);
        byte[] der = Base64.getDecoder().decode(signed.signatureBase64());
        der[der.length - 1] ^= 0x01;
        String tampered = Base64.getEncoder().encodeToString(der);
        assertThrows(SignatureRejected.class, () -> VERIFIER.verify(signed.payload(), tampered, DIGEST));
    }

    @Test
    void missingOrGarbageSignaturesAreRejectedClearly() {
        byte[] payload = SignatureLayout.payload(REFERENCE, DIGEST);
        assertRejected("no signature", payload, null);
        assertRejected("no signature", payload, "");
        assertRejected("no signature", payload, "  ");
        assertRejected("not base64", payload, "not*base64!");
        assertRejected("not base64", payload, "QUJD=x");
        // Valid base64, but not an ECDSA signature at all.
        assertRejected("does not verify with key " + VERIFIER.keyFingerprint(), payload, "aGVsbG8gd29ybGQ=");
        // r = 0, s = 0: the "psychic signature" that once verified anything on some JDKs.
        assertRejected("does not verify with key " + VERIFIER.keyFingerprint(), payload, "MAYCAQACAQA=");
        String signature = SIGNER.sign(REFERENCE, DIGEST).signatureBase64();
        assertRejected("no signature payload", null, signature);
        assertRejected("no signature payload", new byte[0], signature);
    }

    @Test
    void expectedDigestMustBeADigest() {
        SignedPayload signed = SIGNER.sign(REFERENCE, DIGEST);
        assertThrows(IllegalArgumentException.class,
                () -> VERIFIER.verify(signed.payload(), signed.signatureBase64(), "latest"));
    }

    /** Payloads signed correctly by the right key, but not a cosign payload for a digest: refused after the signature. */
    @Test
    void malformedPayloadsAreRejectedEvenWhenSigned() throws Exception {
        String type = "\"type\":\"cosign container image signature\"";
        String image = "\"image\":{\"docker-manifest-digest\":\"" + DIGEST + "\"}";
        String[][] cases = {
            {"not json", "not a single JSON document"},
            {"[]", "not a JSON object"},
            {"\"text\"", "not a JSON object"},
            {"{}", "critical is missing"},
            {"{\"critical\":[]}", "critical is missing or not an object"},
            {"{\"critical\":{" + image + "}}", "critical.type is missing"},
            {"{\"critical\":{" + image + ",\"type\":\"atomic container signature\"}}",
                "critical.type is 'atomic container signature'"},
            {"{\"critical\":{" + type + "}}", "critical.image is missing"},
            {"{\"critical\":{\"image\":{}," + type + "}}", "docker-manifest-digest is missing"},
            {"{\"critical\":{\"image\":{\"Docker-manifest-digest\":\"" + DIGEST + "\"}," + type + "}}",
                "docker-manifest-digest is missing"},
            {"{\"critical\":{\"image\":{\"docker-manifest-digest\":42}," + type + "}}", "not a string"},
            {"{\"critical\":{\"image\":{\"docker-manifest-digest\":\"sha256:abc\"}," + type + "}}",
                "'sha256:abc' is not a sha256 digest"},
            {"{\"critical\":{\"identity\":\"x\"," + image + "," + type + "}}", "critical.identity"},
            // Two digests in one payload: a parser taking the first and one taking the last would disagree.
            {"{\"critical\":{\"image\":{\"docker-manifest-digest\":\"" + OTHER_DIGEST
                + "\",\"docker-manifest-digest\":\"" + DIGEST + "\"}," + type + "}}", "Duplicate field"},
            {"{\"critical\":{" + image + "," + type + "}} {}", "not a single JSON document"},
            {"{\"critical\":{" + image + "," + type + "}}\0", "not a single JSON document"},
        };
        for (String[] c : cases) {
            byte[] payload = c[0].getBytes(StandardCharsets.UTF_8);
            SignatureRejected e = assertThrows(SignatureRejected.class,
                    () -> VERIFIER.verify(payload, signRaw(PAIR.getPrivate(), payload), DIGEST), c[0]);
            assertTrue(e.getMessage().startsWith("malformed payload: "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " -> " + e.getMessage());
        }
    }

    @Test
    void oversizedPayloadIsRejectedBeforeAnythingElse() throws Exception {
        byte[] payload = new byte[SignatureLayout.MAX_PAYLOAD_BYTES + 1];
        SignatureRejected e = assertThrows(SignatureRejected.class,
                () -> VERIFIER.verify(payload, signRaw(PAIR.getPrivate(), payload), DIGEST));
        assertTrue(e.getMessage().contains("over the 64 KiB limit"), e.getMessage());
    }

    /** Another writer's layout (spacing, key order, optional claims) verifies: the bytes are checked as received. */
    @Test
    void payloadIsVerifiedAsReceivedNotReserialised() throws Exception {
        String json = "{\n  \"optional\": {\"creator\": \"ci\", \"timestamp\": 1458239713},\n  \"critical\": {\n"
                + "    \"type\": \"cosign container image signature\",\n"
                + "    \"image\": {\"docker-manifest-digest\": \"" + DIGEST + "\"},\n"
                + "    \"identity\": {\"docker-reference\": \"" + REFERENCE + "\"}\n  }\n}\n";
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        assertDoesNotThrow(() -> VERIFIER.verify(payload, signRaw(PAIR.getPrivate(), payload), DIGEST));
    }

    @Test
    void keysOtherThanP256AreRefused() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(1024);
        KeyPair rsaPair = rsa.generateKeyPair();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SignatureVerifier(rsaPair.getPublic()));
        assertTrue(e.getMessage().contains("key algorithm is RSA; only EC P-256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSigner(rsaPair.getPrivate()));

        KeyPair p384 = KeysTest.ecPair("secp384r1");
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureVerifier(p384.getPublic()));
        assertTrue(e.getMessage().contains("EC key on secp384r1"), e.getMessage());
        assertTrue(e.getMessage().contains("only P-256 is accepted"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSigner(p384.getPrivate()));

        KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        e = assertThrows(IllegalArgumentException.class, () -> new SignatureVerifier(ed.getPublic()));
        assertTrue(e.getMessage().contains("only EC P-256"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SignatureVerifier(null));
    }

    @Test
    void fingerprintIsAPrefixOfTheFullOne() {
        assertEquals(16, VERIFIER.keyFingerprint().length());
        assertTrue(Keys.fingerprint(PAIR.getPublic()).startsWith(VERIFIER.keyFingerprint()));
        assertEquals(64, Keys.fingerprint(PAIR.getPublic()).length());
    }

    private static void assertRejected(String expected, byte[] payload, String signature) {
        SignatureRejected e = assertThrows(SignatureRejected.class, () -> VERIFIER.verify(payload, signature, DIGEST));
        assertTrue(e.getMessage().contains(expected), "'" + signature + "' -> " + e.getMessage());
    }

    static String signRaw(PrivateKey key, byte[] payload) throws GeneralSecurityException {
        Signature signature = Signature.getInstance("SHA256withECDSA");
        signature.initSign(key);
        signature.update(payload);
        return Base64.getEncoder().encodeToString(signature.sign());
    }
}
