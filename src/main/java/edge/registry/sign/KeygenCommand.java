package edge.registry.sign;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.Set;

/**
 * {@code keygen PRIVATE.pem PUBLIC.pem}: a new EC P-256 signing key pair, the private key as PKCS#8 PEM (mode 600
 * where the file system has POSIX permissions), the public key as X.509 PEM. Never overwrites a file.
 */
public final class KeygenCommand {

    static final String USAGE = "usage: keygen PRIVATE.pem PUBLIC.pem";

    private static final Set<OpenOption> CREATE_NEW = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);

    private KeygenCommand() {
    }

    /** @param args the arguments after the command name */
    public static int run(List<String> args, PrintStream out) {
        if (args.size() != 2) {
            out.println(USAGE);
            return 2;
        }
        Path privatePem = Path.of(args.get(0));
        Path publicPem = Path.of(args.get(1));
        if (privatePem.toAbsolutePath().normalize().equals(publicPem.toAbsolutePath().normalize())) {
            out.println("the private and public key need two different files");
            out.println(USAGE);
            return 2;
        }
        for (Path target : List.of(privatePem, publicPem)) {
            if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                out.println("refusing to overwrite " + target + "; remove it or choose another name");
                return 1;
            }
        }
        KeyPair pair = Keys.generate();
        try {
            write(privatePem, Keys.toPem(pair.getPrivate()), true);
        } catch (IOException e) {
            out.println(failure(privatePem, e));
            return 1;
        }
        try {
            write(publicPem, Keys.toPem(pair.getPublic()), false);
        } catch (IOException e) {
            out.println(failure(publicPem, e));
            try {
                // A private key without its public half is of no use to anyone: do not leave it behind.
                Files.deleteIfExists(privatePem);
            } catch (IOException ignored) {
                out.println("also could not remove " + privatePem + "; delete it by hand");
            }
            return 1;
        }
        out.println("wrote private key " + privatePem + " (EC P-256, PKCS#8 PEM"
                + (posix(privatePem) ? ", mode 600" : ", no POSIX permissions on this file system: restrict access "
                        + "to it yourself") + ")");
        out.println("wrote public key " + publicPem + " (X.509 PEM)");
        out.println("key fingerprint (sha256 of the DER public key): " + Keys.fingerprint(pair.getPublic()));
        return 0;
    }

    /** Created new (never over an existing file), with the owner-only mode set at creation, not after. */
    private static void write(Path target, String pem, boolean secret) throws IOException {
        FileAttribute<?>[] attributes = secret && posix(target)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                : new FileAttribute<?>[0];
        try (SeekableByteChannel channel = Files.newByteChannel(target, CREATE_NEW, attributes)) {
            ByteBuffer bytes = ByteBuffer.wrap(pem.getBytes(StandardCharsets.US_ASCII));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    private static boolean posix(Path target) {
        return target.toAbsolutePath().getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String failure(Path target, IOException e) {
        if (e instanceof FileAlreadyExistsException) {
            return "refusing to overwrite " + target + "; remove it or choose another name";
        }
        return "cannot write " + target + ": " + e;
    }
}
