package edge.registry.sign;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static edge.registry.sign.SignatureVerifierTest.DIGEST;
import static edge.registry.sign.SignatureVerifierTest.REFERENCE;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The keys and signatures are the standard ones: OpenSSL (the command-line tool, as on the publishing machine)
 * reads what this package writes and the other way round. openssl is required on the build machines; these tests
 * fail, rather than skip, without it.
 */
class OpenSslInteropTest {

    private static String openssl;

    @TempDir
    Path dir;

    @BeforeAll
    static void findOpenSsl() {
        openssl = Files.isExecutable(Path.of("/usr/bin/openssl")) ? "/usr/bin/openssl" : "openssl";
    }

    /** (a) openssl's key pair is read by Keys; what ModelSigner signs, openssl verifies. */
    @Test
    void openSslVerifiesOurSignatureWithItsKeys() throws Exception {
        Path key = generateP256("key.pem");
        Path pub = dir.resolve("pub.pem");
        ok("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());

        SignedPayload signed = ModelSigner.fromPem(key).sign(REFERENCE, DIGEST);
        Path payload = Files.write(dir.resolve("payload.json"), signed.payload());
        Path signature = Files.write(dir.resolve("sig.der"), Base64.getDecoder().decode(signed.signatureBase64()));

        Result verified = run("dgst", "-sha256", "-verify", pub.toString(), "-signature", signature.toString(),
                payload.toString());
        assertEquals(0, verified.exit(), verified.output());
        assertTrue(verified.output().contains("Verified OK"), verified.output());

        // The control: the same command fails on a changed payload, so the pass above means something.
        byte[] changed = signed.payload();
        changed[changed.length - 2] ^= 0x01;
        Files.write(payload, changed);
        Result refused = run("dgst", "-sha256", "-verify", pub.toString(), "-signature", signature.toString(),
                payload.toString());
        assertNotEquals(0, refused.exit(), refused.output());

        // And the public key openssl derived is the one Keys reads back, fingerprint included.
        assertDoesNotThrow(() -> SignatureVerifier.fromPem(pub).verify(signed.payload(), signed.signatureBase64(),
                DIGEST));
        assertEquals(openSslFingerprint(pub), Keys.fingerprint(Keys.readPublic(pub)));
    }

    /** (b) what openssl signs, SignatureVerifier accepts; and refuses for another key. */
    @Test
    void weVerifyOpenSslSignatures() throws Exception {
        Path key = generateP256("key.pem");
        Path pub = dir.resolve("pub.pem");
        ok("pkey", "-in", key.toString(), "-pubout", "-out", pub.toString());
        Path payload = Files.write(dir.resolve("payload.json"), SignatureLayout.payload(REFERENCE, DIGEST));
        Path signature = dir.resolve("sig.der");
        ok("dgst", "-sha256", "-sign", key.toString(), "-out", signature.toString(), payload.toString());
        String base64 = Base64.getEncoder().encodeToString(Files.readAllBytes(signature));

        SignatureVerifier verifier = SignatureVerifier.fromPem(pub);
        assertDoesNotThrow(() -> verifier.verify(Files.readAllBytes(payload), base64, DIGEST));

        SignatureVerifier stranger = new SignatureVerifier(Keys.generate().getPublic());
        assertThrows(SignatureRejected.class, () -> stranger.verify(Files.readAllBytes(payload), base64, DIGEST));
    }

    /** (c) PEMs written by Keys are read by openssl pkey, and describe the same key pair. */
    @Test
    void openSslReadsOurPems() throws Exception {
        KeyPair pair = Keys.generate();
        Path key = Files.writeString(dir.resolve("key.pem"), Keys.toPem(pair.getPrivate()));
        Path pub = Files.writeString(dir.resolve("pub.pem"), Keys.toPem(pair.getPublic()));

        Result fromPrivate = ok("pkey", "-in", key.toString(), "-pubout");
        assertEquals(Keys.toPem(pair.getPublic()), fromPrivate.output());
        Result fromPublic = ok("pkey", "-pubin", "-in", pub.toString(), "-text", "-noout");
        assertTrue(fromPublic.output().contains("prime256v1"), fromPublic.output());
        assertEquals(openSslFingerprint(pub), Keys.fingerprint(pair.getPublic()));
        Result details = ok("pkey", "-in", key.toString(), "-text", "-noout");
        assertTrue(details.output().contains("prime256v1"), details.output());
    }

    /**
     * SEC1 ("EC PRIVATE KEY"), as openssl ec and openssl ecparam -genkey write it, is refused (the JDK cannot read
     * it) with the openssl command that converts it; the converted key is the same key and works.
     */
    @Test
    void sec1KeysAreRefusedWithTheConversion() throws Exception {
        Path key = generateP256("key.pem");
        Path sec1 = dir.resolve("sec1.pem");
        ok("ec", "-in", key.toString(), "-out", sec1.toString());
        assertTrue(Files.readString(sec1).startsWith("-----BEGIN EC PRIVATE KEY-----"));
        assertFails(InvalidKeySpecException.class, () -> Keys.readPrivate(sec1),
                "openssl pkcs8 -topk8 -nocrypt -in " + sec1 + " -out signing.pem");
        Path converted = dir.resolve("converted.pem");
        ok("pkcs8", "-topk8", "-nocrypt", "-in", sec1.toString(), "-out", converted.toString());
        assertEquals(((ECPrivateKey) Keys.readPrivate(key)).getS(),
                ((ECPrivateKey) Keys.readPrivate(converted)).getS());

        // openssl ecparam -genkey: an EC PARAMETERS block, then the SEC1 key; refused the same way, not as "2 blocks".
        Path withParameters = dir.resolve("ecparam.pem");
        ok("ecparam", "-name", "prime256v1", "-genkey", "-out", withParameters.toString());
        assertTrue(Files.readString(withParameters).contains("-----BEGIN EC PARAMETERS-----"));
        assertFails(InvalidKeySpecException.class, () -> Keys.readPrivate(withParameters), "openssl pkcs8 -topk8");
        Path signing = dir.resolve("signing.pem");
        ok("pkcs8", "-topk8", "-nocrypt", "-in", withParameters.toString(), "-out", signing.toString());
        Path pub = dir.resolve("ecparam.pub.pem");
        ok("pkey", "-in", withParameters.toString(), "-pubout", "-out", pub.toString());
        SignedPayload signed = ModelSigner.fromPem(signing).sign(REFERENCE, DIGEST);
        assertDoesNotThrow(() -> SignatureVerifier.fromPem(pub).verify(signed.payload(), signed.signatureBase64(),
                DIGEST));

        // Converting does not get another curve past the check.
        Path p384 = dir.resolve("p384-sec1.pem");
        ok("ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", p384.toString());
        assertFails(InvalidKeySpecException.class, () -> Keys.readPrivate(p384), "openssl pkcs8 -topk8");
        Path p384pkcs8 = dir.resolve("p384.pem");
        ok("pkcs8", "-topk8", "-nocrypt", "-in", p384.toString(), "-out", p384pkcs8.toString());
        assertFails(InvalidKeyException.class, () -> Keys.readPrivate(p384pkcs8), "secp384r1");
        assertFails(InvalidKeyException.class, () -> Keys.readPrivate(p384pkcs8), "only P-256 is accepted");
    }

    @Test
    void otherCurvesAlgorithmsAndEncryptedKeysAreNamed() throws Exception {
        // secp256k1 is 256 bits too: the curve parameters, not the size, must tell it apart.
        Path k1 = dir.resolve("k1.pem");
        ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:secp256k1", "-out", k1.toString());
        Path k1pub = dir.resolve("k1.pub.pem");
        ok("pkey", "-in", k1.toString(), "-pubout", "-out", k1pub.toString());
        assertFails(InvalidKeyException.class, () -> Keys.readPrivate(k1), "EC key on secp256k1");
        assertFails(InvalidKeyException.class, () -> Keys.readPublic(k1pub), "only P-256 is accepted");

        Path ed = dir.resolve("ed.pem");
        ok("genpkey", "-algorithm", "ED25519", "-out", ed.toString());
        Path edpub = dir.resolve("ed.pub.pem");
        ok("pkey", "-in", ed.toString(), "-pubout", "-out", edpub.toString());
        assertFails(InvalidKeyException.class, () -> Keys.readPrivate(ed), "key algorithm is EdDSA; only EC P-256");
        assertFails(InvalidKeyException.class, () -> SignatureVerifier.fromPem(edpub), "key algorithm is EdDSA");

        Path key = generateP256("key.pem");
        Path encrypted = dir.resolve("encrypted.pem");
        ok("pkcs8", "-topk8", "-in", key.toString(), "-passout", "pass:secret", "-out", encrypted.toString());
        assertFails(InvalidKeySpecException.class, () -> Keys.readPrivate(encrypted),
                "encrypted keys are not supported");
        assertFails(InvalidKeySpecException.class, () -> Keys.readPrivate(encrypted),
                "openssl pkcs8 -in " + encrypted + " -out signing.pem");
        Path decrypted = dir.resolve("decrypted.pem");
        ok("pkcs8", "-in", encrypted.toString(), "-passin", "pass:secret", "-out", decrypted.toString());
        assertEquals(((ECPrivateKey) Keys.readPrivate(key)).getS(),
                ((ECPrivateKey) Keys.readPrivate(decrypted)).getS());
    }

    private Path generateP256(String name) throws IOException, InterruptedException {
        Path key = dir.resolve(name);
        ok("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", key.toString());
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----"));
        return key;
    }

    /** What the documentation tells operators to run: sha256 of the DER public key. */
    private String openSslFingerprint(Path pub) throws IOException, InterruptedException {
        Path der = dir.resolve(pub.getFileName() + ".der");
        ok("pkey", "-pubin", "-in", pub.toString(), "-outform", "DER", "-out", der.toString());
        String line = ok("dgst", "-sha256", "-r", der.toString()).output().strip();
        return line.substring(0, line.indexOf(' '));
    }

    private interface Failing {
        void run() throws Exception;
    }

    private static void assertFails(Class<? extends GeneralSecurityException> type, Failing call, String expected) {
        GeneralSecurityException e = assertThrows(type, call::run);
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    private record Result(int exit, String output) {
    }

    private Result ok(String... args) throws IOException, InterruptedException {
        Result result = run(args);
        assertEquals(0, result.exit(), "openssl " + String.join(" ", args) + ": " + result.output());
        return result;
    }

    private Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(openssl);
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openssl " + String.join(" ", args) + " did not finish in 10 s");
        }
        return new Result(process.exitValue(), output);
    }
}
