package edge.registry.sign;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECField;
import java.security.spec.ECFieldFp;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EC P-256 keys as PEM, the forms OpenSSL and cosign write: private keys as unencrypted PKCS#8
 * ({@code BEGIN PRIVATE KEY}, or SEC1 {@code BEGIN EC PRIVATE KEY}), public keys as X.509 SubjectPublicKeyInfo
 * ({@code BEGIN PUBLIC KEY}). Any other algorithm, curve or container is refused with a message naming what the
 * file holds and, where there is one, the openssl command that converts it.
 *
 * <p>Content problems are {@link InvalidKeySpecException} (cannot be read) or {@link InvalidKeyException}
 * (readable, but not an EC P-256 key); {@link IOException} is left to the file system.
 */
public final class Keys {

    /** The JDK's name for P-256 (prime256v1). */
    public static final String CURVE = "secp256r1";

    /** Key files are a few hundred bytes; anything this large is the wrong file (a model, a log). */
    private static final long MAX_PEM_FILE = 64 * 1024;

    private static final Pattern PEM_BLOCK = Pattern.compile(
            "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

    private static final ECParameterSpec P256 = p256Parameters();

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
        ECPrivateKey ec = requireP256(key, "private key");
        return pem("PRIVATE KEY", encoded(ec, "PKCS#8"));
    }

    /** X.509 SubjectPublicKeyInfo PEM ({@code BEGIN PUBLIC KEY}), as {@code openssl pkey -pubout} and cosign write it. */
    public static String toPem(PublicKey key) {
        ECPublicKey ec = requireP256(key, "public key");
        return pem("PUBLIC KEY", encoded(ec, "X.509"));
    }

    public static PrivateKey readPrivate(Path pem) throws IOException, GeneralSecurityException {
        return parsePrivate(readPemFile(pem), pem.toString());
    }

    public static PublicKey readPublic(Path pem) throws IOException, GeneralSecurityException {
        return parsePublic(readPemFile(pem), pem.toString());
    }

    /** Reads a private key from PEM text; {@code source} names it in error messages (a path, an environment variable). */
    public static PrivateKey parsePrivate(String pemText, String source) throws GeneralSecurityException {
        Block block = singleKeyBlock(pemText, source, "-----BEGIN PRIVATE KEY-----");
        String label = block.label();
        if (label.equals("PRIVATE KEY")) {
            block.requireNoHeaders(source);
            return pkcs8(block.der(source), source);
        }
        if (label.equals("EC PRIVATE KEY")) {
            if (block.hasHeaders()) {
                throw new InvalidKeySpecException(source + " is an encrypted EC key; keys are read unencrypted "
                        + "(protect the file with its permissions instead): openssl pkey -in " + source
                        + " -out PLAIN.pem");
            }
            return sec1(block.der(source), source);
        }
        if (label.equals("ENCRYPTED PRIVATE KEY")) {
            throw new InvalidKeySpecException(source + " is an encrypted PKCS#8 key; keys are read unencrypted "
                    + "(protect the file with its permissions instead): openssl pkey -in " + source
                    + " -out PLAIN.pem");
        }
        if (label.contains("SIGSTORE") || label.contains("COSIGN")) {
            throw new InvalidKeySpecException(source + " is a key in cosign's own encrypted format (" + label
                    + "), which cannot be read here; make the key with openssl (or the keygen command) and, if "
                    + "cosign should sign with it too, import it there with cosign import-key-pair");
        }
        if (label.equals("PUBLIC KEY")) {
            throw new InvalidKeySpecException(source + " holds a public key; signing needs the private key");
        }
        throw unexpected(label, source, "PRIVATE KEY (PKCS#8, EC P-256)");
    }

    /** Reads a public key from PEM text; {@code source} names it in error messages. */
    public static PublicKey parsePublic(String pemText, String source) throws GeneralSecurityException {
        Block block = singleKeyBlock(pemText, source, "-----BEGIN PUBLIC KEY-----");
        String label = block.label();
        if (label.equals("PUBLIC KEY")) {
            block.requireNoHeaders(source);
            return subjectPublicKeyInfo(block.der(source), source);
        }
        if (label.contains("PRIVATE KEY")) {
            throw new InvalidKeySpecException(source + " holds a private key; verification needs only the public "
                    + "key, and the private key should not be on this machine: openssl pkey -in " + source
                    + " -pubout -out PUBLIC.pem");
        }
        if (label.equals("CERTIFICATE")) {
            throw new InvalidKeySpecException(source + " is a certificate; give its public key instead: "
                    + "openssl x509 -in " + source + " -pubkey -noout > PUBLIC.pem");
        }
        throw unexpected(label, source, "PUBLIC KEY (X.509 SubjectPublicKeyInfo, EC P-256)");
    }

    /** SHA-256 of the DER SubjectPublicKeyInfo, hex: what {@code openssl pkey -pubin -outform DER | openssl dgst -sha256} prints. */
    public static String fingerprint(PublicKey key) {
        byte[] der = encoded(key, "X.509");
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }

    /** The key as an EC P-256 public key, with its point on the curve, or an exception that says what it is instead. */
    static ECPublicKey requireP256(PublicKey key, String what) {
        if (!(key instanceof ECPublicKey ec)) {
            throw new IllegalArgumentException(what + ": key algorithm is " + algorithm(key)
                    + "; only EC P-256 keys are accepted");
        }
        requireP256(ec.getParams(), what);
        if (!onCurve(ec.getW())) {
            throw new IllegalArgumentException(what + ": the public point is not on the P-256 curve");
        }
        return ec;
    }

    static ECPrivateKey requireP256(PrivateKey key, String what) {
        if (!(key instanceof ECPrivateKey ec)) {
            throw new IllegalArgumentException(what + ": key algorithm is " + algorithm(key)
                    + "; only EC P-256 keys are accepted");
        }
        requireP256(ec.getParams(), what);
        return ec;
    }

    private static void requireP256(ECParameterSpec params, String what) {
        boolean same = params != null
                && params.getCurve().equals(P256.getCurve())
                && params.getGenerator().equals(P256.getGenerator())
                && params.getOrder().equals(P256.getOrder())
                && params.getCofactor() == P256.getCofactor();
        if (!same) {
            String curve = params == null ? "no named curve"
                    : "another curve (" + params.getOrder().bitLength() + "-bit order)";
            throw new IllegalArgumentException(what + " is an EC key on " + curve + "; only P-256 is accepted");
        }
    }

    private static boolean onCurve(ECPoint w) {
        if (w == null || w.equals(ECPoint.POINT_INFINITY)) {
            return false;
        }
        BigInteger p = ((ECFieldFp) P256.getCurve().getField()).getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.signum() < 0 || y.signum() < 0 || x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(P256.getCurve().getA().multiply(x)).add(P256.getCurve().getB()).mod(p);
        return y.modPow(BigInteger.TWO, p).equals(right);
    }

    private static PrivateKey pkcs8(byte[] der, String source) throws GeneralSecurityException {
        try {
            Der.Reader outer = new Der.Reader(der);
            Der.Tlv info = outer.next(Der.SEQUENCE, "PrivateKeyInfo");
            if (outer.hasMore()) {
                throw new Der.MalformedDer("data after the key");
            }
            Der.Reader fields = info.contents();
            fields.next(Der.INTEGER, "version");
            requireEcP256Algorithm(fields.next(Der.SEQUENCE, "algorithm identifier"), source);
        } catch (Der.MalformedDer e) {
            throw new InvalidKeySpecException(source + " is not a valid PKCS#8 private key: " + e.getMessage());
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeySpecException(source + " is not a valid PKCS#8 EC private key: " + e.getMessage(), e);
        }
        checked(() -> requireP256(key, source), source);
        return key;
    }

    /** SEC1 ECPrivateKey (RFC 5915): version 1, the private scalar, the curve as [0], the public point as [1]. */
    private static PrivateKey sec1(byte[] der, String source) throws GeneralSecurityException {
        byte[] scalar;
        try {
            Der.Reader outer = new Der.Reader(der);
            Der.Tlv key = outer.next(Der.SEQUENCE, "ECPrivateKey");
            if (outer.hasMore()) {
                throw new Der.MalformedDer("data after the key");
            }
            Der.Reader fields = key.contents();
            byte[] version = fields.next(Der.INTEGER, "version").bytes();
            if (version.length != 1 || version[0] != 1) {
                throw new Der.MalformedDer("version is not 1");
            }
            scalar = fields.next(Der.OCTET_STRING, "private key").bytes();
            String curve = null;
            while (fields.hasMore()) {
                Der.Tlv field = fields.next();
                if (field.tag() == Der.CONTEXT_0) {
                    Der.Reader params = field.contents();
                    if (params.peekTag() != Der.OID) {
                        throw new InvalidKeyException(source + " has explicit curve parameters; only the named curve "
                                + "P-256 is accepted: openssl pkey -in " + source + " -out PKCS8.pem "
                                + "(after openssl ec -param_enc named_curve if needed)");
                    }
                    curve = params.next().oid();
                }
            }
            if (curve == null) {
                throw new InvalidKeyException(source + " does not name its curve; write it with the curve included: "
                        + "openssl pkey -in " + source + " -out PKCS8.pem");
            }
            if (!curve.equals(Der.OID_P256)) {
                throw new InvalidKeyException(source + " is an EC key on " + Der.name(curve)
                        + "; only P-256 (prime256v1) is accepted");
            }
        } catch (Der.MalformedDer e) {
            throw new InvalidKeySpecException(source + " is not a valid SEC1 EC private key: " + e.getMessage());
        }
        BigInteger s = new BigInteger(1, scalar);
        if (scalar.length > 32 || s.signum() == 0 || s.compareTo(P256.getOrder()) >= 0) {
            throw new InvalidKeySpecException(source + " holds a private value outside the P-256 range");
        }
        return KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(s, P256));
    }

    private static PublicKey subjectPublicKeyInfo(byte[] der, String source) throws GeneralSecurityException {
        try {
            Der.Reader outer = new Der.Reader(der);
            Der.Tlv info = outer.next(Der.SEQUENCE, "SubjectPublicKeyInfo");
            if (outer.hasMore()) {
                throw new Der.MalformedDer("data after the key");
            }
            Der.Reader fields = info.contents();
            requireEcP256Algorithm(fields.next(Der.SEQUENCE, "algorithm identifier"), source);
            fields.next(Der.BIT_STRING, "public key");
        } catch (Der.MalformedDer e) {
            throw new InvalidKeySpecException(source + " is not a valid X.509 public key: " + e.getMessage());
        }
        PublicKey key;
        try {
            key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        } catch (InvalidKeySpecException e) {
            throw new InvalidKeySpecException(source + " is not a valid EC public key: " + e.getMessage(), e);
        }
        checked(() -> requireP256(key, source), source);
        return key;
    }

    private static void requireEcP256Algorithm(Der.Tlv algorithm, String source)
            throws Der.MalformedDer, InvalidKeyException {
        Der.Reader fields = algorithm.contents();
        String oid = fields.next(Der.OID, "algorithm").oid();
        if (!oid.equals(Der.OID_EC_PUBLIC_KEY)) {
            throw new InvalidKeyException(source + ": key algorithm is " + Der.name(oid)
                    + "; only EC P-256 keys are accepted");
        }
        if (!fields.hasMore()) {
            throw new InvalidKeyException(source + " is an EC key that does not name its curve; only P-256 is accepted");
        }
        if (fields.peekTag() != Der.OID) {
            throw new InvalidKeyException(source + " has explicit EC curve parameters; only the named curve P-256 "
                    + "is accepted (openssl ec -param_enc named_curve re-encodes it)");
        }
        String curve = fields.next().oid();
        if (!curve.equals(Der.OID_P256)) {
            throw new InvalidKeyException(source + " is an EC key on " + Der.name(curve)
                    + "; only P-256 (prime256v1) is accepted");
        }
    }

    private interface Check {
        void run();
    }

    private static void checked(Check check, String source) throws InvalidKeyException {
        try {
            check.run();
        } catch (IllegalArgumentException e) {
            throw new InvalidKeyException(e.getMessage(), e);
        }
    }

    private record Block(String label, String body) {

        boolean hasHeaders() {
            return body.contains(":");
        }

        void requireNoHeaders(String source) throws InvalidKeySpecException {
            if (hasHeaders()) {
                throw new InvalidKeySpecException(source + ": unexpected PEM headers in a " + label + " block");
            }
        }

        byte[] der(String source) throws InvalidKeySpecException {
            String base64 = body.replaceAll("\\s+", "");
            try {
                byte[] der = Base64.getDecoder().decode(base64);
                if (der.length == 0) {
                    throw new InvalidKeySpecException(source + ": the " + label + " block is empty");
                }
                return der;
            } catch (IllegalArgumentException e) {
                throw new InvalidKeySpecException(source + ": the " + label + " block is not valid base64 ("
                        + e.getMessage() + ")");
            }
        }
    }

    private static Block singleKeyBlock(String pemText, String source, String expected)
            throws InvalidKeySpecException {
        List<Block> blocks = new ArrayList<>();
        Matcher m = PEM_BLOCK.matcher(pemText);
        while (m.find()) {
            // openssl ecparam -genkey writes the curve name as its own block before the key: not a key.
            if (!m.group(1).equals("EC PARAMETERS")) {
                blocks.add(new Block(m.group(1), m.group(2)));
            }
        }
        if (blocks.isEmpty()) {
            throw new InvalidKeySpecException("no PEM key in " + source + "; expected " + expected);
        }
        if (blocks.size() > 1) {
            List<String> labels = blocks.stream().map(Block::label).toList();
            throw new InvalidKeySpecException(source + " holds " + blocks.size() + " PEM blocks " + labels
                    + "; expected exactly one key");
        }
        return blocks.get(0);
    }

    private static InvalidKeySpecException unexpected(String label, String source, String expected) {
        String why = switch (label) {
            case "RSA PRIVATE KEY", "RSA PUBLIC KEY" -> " (an RSA key; only EC P-256 keys are accepted)";
            case "DSA PRIVATE KEY" -> " (a DSA key; only EC P-256 keys are accepted)";
            case "OPENSSH PRIVATE KEY" -> " (OpenSSH's own format; only PEM EC P-256 keys are accepted)";
            default -> "";
        };
        return new InvalidKeySpecException(source + " holds a '" + label + "' PEM block" + why + "; expected "
                + expected);
    }

    private static String readPemFile(Path pem) throws IOException {
        long size = Files.size(pem);
        if (size > MAX_PEM_FILE) {
            throw new IOException(pem + " is " + size + " bytes, too large for a PEM key file");
        }
        // Latin-1 maps every byte, so a stray non-ASCII byte cannot hide a PEM block behind a decoding error.
        return new String(Files.readAllBytes(pem), StandardCharsets.ISO_8859_1);
    }

    private static String pem(String label, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + label + "-----\n" + body + "\n-----END " + label + "-----\n";
    }

    private static byte[] encoded(java.security.Key key, String format) {
        byte[] der = key.getEncoded();
        if (der == null || !format.equals(key.getFormat())) {
            throw new IllegalArgumentException("the key cannot be exported as " + format + " (format "
                    + key.getFormat() + ")");
        }
        return der;
    }

    private static String algorithm(java.security.Key key) {
        return key == null ? "missing (null)" : key.getAlgorithm();
    }

    private static ECParameterSpec p256Parameters() {
        try {
            AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
            params.init(new ECGenParameterSpec(CURVE));
            ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
            ECField field = spec.getCurve().getField();
            if (!(field instanceof ECFieldFp)) {
                throw new IllegalStateException("P-256 is not over a prime field in this JDK");
            }
            return spec;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK does not support EC P-256", e);
        }
    }
}
