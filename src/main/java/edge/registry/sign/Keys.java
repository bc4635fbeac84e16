package edge.registry.sign;

import edge.digest.Digest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * EC P-256 keys as PEM, with the JDK's {@code java.security} only: private keys as unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}), public keys as X.509 SubjectPublicKeyInfo ({@code BEGIN PUBLIC KEY}), as openssl
 * and cosign write them. Other PEM labels (SEC1, encrypted, certificates) are refused with the openssl command that
 * converts them. Content problems are {@link InvalidKeySpecException} (cannot be read) or {@link InvalidKeyException}
 * (readable, but not an EC P-256 key); {@link IOException} is left to the file system.
 */
public final class Keys {

    /** The JDK's name for P-256 (prime256v1). */
    public static final String CURVE = "secp256r1";

    private static final Pattern PEM_BLOCK = Pattern.compile("(?s)-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----");
    private static final ECParameterSpec P256;

    static {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(CURVE));
            P256 = params.getParameterSpec(ECParameterSpec.class);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support EC P-256", e);
        }
    }

    private Keys() {
    }

    /** A new EC P-256 key pair from the JDK's default secure random source. */
    public static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec(CURVE));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate EC P-256 keys", e);
        }
    }

    /** PKCS#8 PEM ({@code BEGIN PRIVATE KEY}), unencrypted, as {@code openssl genpkey} writes it. */
    public static String toPem(PrivateKey key) {
        return pem("PRIVATE KEY", requireP256(key, "private key").getEncoded());
    }

    /** X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}), as {@code openssl pkey -pubout} and cosign write it. */
    public static String toPem(PublicKey key) {
        return pem("PUBLIC KEY", requireP256(key, "public key").getEncoded());
    }

    public static PrivateKey readPrivate(Path pem) throws IOException, GeneralSecurityException {
        return parsePrivate(readPemFile(pem), pem.toString());
    }

    public static PublicKey readPublic(Path pem) throws IOException, GeneralSecurityException {
        return parsePublic(readPemFile(pem), pem.toString());
    }

    /** Reads a private key from PEM text; {@code source} names it in error messages (a path, an environment variable). */
    public static PrivateKey parsePrivate(String pemText, String source) throws GeneralSecurityException {
        return (PrivateKey) read(pemText, source, true);
    }

    /** Reads a public key from PEM text; {@code source} names it in error messages. */
    public static PublicKey parsePublic(String pemText, String source) throws GeneralSecurityException {
        return (PublicKey) read(pemText, source, false);
    }

    /** SHA-256 of the DER SubjectPublicKeyInfo, hex: what {@code openssl pkey -pubin -outform DER | openssl dgst -sha256} prints. */
    public static String fingerprint(PublicKey key) {
        return Digest.of(key.getEncoded()).hex();
    }

    /** The key itself if it is an EC P-256 key, or an IllegalArgumentException saying what it is instead. */
    static <K extends Key> K requireP256(K key, String what) {
        if (!(key instanceof ECKey ec)) {
            throw new IllegalArgumentException(what + ": key algorithm is "
                    + (key == null ? "missing (null)" : key.getAlgorithm()) + "; only EC P-256 keys are accepted");
        }
        ECParameterSpec params = ec.getParams();
        if (params == null || !params.getCurve().equals(P256.getCurve())
                || !params.getGenerator().equals(P256.getGenerator()) || !params.getOrder().equals(P256.getOrder())
                || params.getCofactor() != P256.getCofactor()) {
            // The JDK's keys carry a named curve that prints as, e.g., "secp384r1 [NIST P-384] (1.3.132.0.34)".
            throw new IllegalArgumentException(what + " is an EC key on " + params + "; only P-256 is accepted");
        }
        return key;
    }

    private static Key read(String pemText, String source, boolean wantPrivate) throws GeneralSecurityException {
        String expected = wantPrivate ? "PRIVATE KEY" : "PUBLIC KEY";
        // openssl ecparam -genkey writes an EC PARAMETERS block before the key: not a key, skipped.
        List<MatchResult> blocks = PEM_BLOCK.matcher(pemText).results()
                .filter(block -> !block.group(1).equals("EC PARAMETERS")).toList();
        if (blocks.size() != 1) {
            throw new InvalidKeySpecException(source + " holds " + blocks.size() + " PEM blocks; expected one "
                    + "-----BEGIN " + expected + "-----");
        }
        String label = blocks.get(0).group(1);
        if (!label.equals(expected)) {
            throw new InvalidKeySpecException(source + refusal(label, source, wantPrivate));
        }
        // The EC KeyFactory reads the key; the others are asked only so that the error can say what it is instead.
        String base64 = blocks.get(0).group(2);
        Key key = Stream.of("EC", "RSA", "EdDSA", "DSA").map(algorithm -> decode(algorithm, base64, wantPrivate))
                .filter(Objects::nonNull).findFirst().orElseThrow(() -> new InvalidKeySpecException(source
                        + " is not a valid " + (wantPrivate ? "PKCS#8 private key" : "X.509 public key")));
        try {
            return requireP256(key, source);
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    /** Why a PEM block with this label is not the key asked for, and how to make one that is. */
    private static String refusal(String label, String source, boolean wantPrivate) {
        if (!wantPrivate && label.contains("PRIVATE KEY")) {
            return " holds a private key; verification needs only the public key, and the private key should not be "
                    + "on this machine: openssl pkey -in " + source + " -pubout -out PUBLIC.pem";
        }
        return switch (label) {
            case "EC PRIVATE KEY" -> " is a SEC1 EC key (BEGIN EC PRIVATE KEY), which the JDK cannot read; convert "
                    + "it to PKCS#8: openssl pkcs8 -topk8 -nocrypt -in " + source + " -out signing.pem";
            case "ENCRYPTED PRIVATE KEY" -> ": encrypted keys are not supported (protect the file with its "
                    + "permissions instead): openssl pkcs8 -in " + source + " -out signing.pem (decrypt)";
            case "ENCRYPTED SIGSTORE PRIVATE KEY", "ENCRYPTED COSIGN PRIVATE KEY" -> " is cosign's own encrypted key "
                    + "format; make the key with openssl or the keygen command (cosign import-key-pair takes it)";
            case "PUBLIC KEY" -> " holds a public key; signing needs the private key";
            case "CERTIFICATE" -> " is a certificate" + (wantPrivate ? ", not a private key" : "; give its public "
                    + "key instead: openssl x509 -in " + source + " -pubkey -noout > PUBLIC.pem");
            default -> " holds a '" + label + "' PEM block, not an EC P-256 " + (wantPrivate ? "PRIVATE KEY"
                    : "PUBLIC KEY");
        };
    }

    /** The key the algorithm's KeyFactory makes of the base64 DER (PKCS#8 or X.509), or null if it cannot. */
    private static Key decode(String algorithm, String base64, boolean wantPrivate) {
        try {
            byte[] der = Base64.getMimeDecoder().decode(base64);
            KeyFactory factory = KeyFactory.getInstance(algorithm);
            return wantPrivate ? factory.generatePrivate(new PKCS8EncodedKeySpec(der))
                    : factory.generatePublic(new X509EncodedKeySpec(der));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return null;
        }
    }

    private static String readPemFile(Path pem) throws IOException {
        if (Files.size(pem) > 64 * 1024) {   // key files are a few hundred bytes: this is a model, a log...
            throw new IOException(pem + " is over 64 KiB, too large for a PEM key file");
        }
        // Latin-1 maps every byte, so a stray non-ASCII byte cannot hide a PEM block behind a decoding error.
        return new String(Files.readAllBytes(pem), StandardCharsets.ISO_8859_1);
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }
}
