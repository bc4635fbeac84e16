package edge.registry.sign;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/**
 * Publisher side: signs a model manifest digest the way cosign does with a key pair (simple-signing payload,
 * ECDSA P-256 with SHA-256, DER signature, base64). Thread-safe.
 */
public final class ModelSigner {

    static final String ALGORITHM = "SHA256withECDSA";

    private final PrivateKey key;

    /** @throws IllegalArgumentException if the key is not EC P-256 */
    public ModelSigner(PrivateKey key) {
        this.key = Keys.requireP256(key, "signing key");
    }

    public static ModelSigner fromPem(Path privateKeyPem) throws IOException, GeneralSecurityException {
        return new ModelSigner(Keys.readPrivate(privateKeyPem));
    }

    /**
     * The payload naming {@code manifestDigest} in {@code dockerReference} ({@code registry-host:port/repository})
     * and its signature. ECDSA signatures are randomised: signing twice gives two different, equally valid
     * signatures.
     */
    public SignedPayload sign(String dockerReference, String manifestDigest) {
        byte[] payload = SignatureLayout.payload(dockerReference, manifestDigest);
        try {
            Signature signature = Signature.getInstance(ALGORITHM);
            signature.initSign(key);
            signature.update(payload);
            return new SignedPayload(payload, Base64.getEncoder().encodeToString(signature.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with an EC P-256 key on this JDK", e);
        }
    }
}
