package edge.registry;

import edge.digest.Digest;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The models of this box on disk: every validated version in its own folder, and which one serves.
 *
 * <pre>
 * store/state.json                      {"current": "sha256:...", "pinned": null}
 * store/versions/&lt;hex&gt;/model.onnx        a validated model, named by its manifest digest
 * store/versions/&lt;hex&gt;/version.json      where it came from (StoredModel)
 * store/tmp/                            downloads in progress
 * </pre>
 * <p>
 * A version is downloaded and described inside {@code tmp/}, then its folder is renamed into {@code versions/}
 * in one atomic step, and {@code state.json} is replaced atomically: a process killed at any point leaves either
 * the old or the new state, never half a model. Whatever is left in {@code tmp/} is deleted on open.
 */
public final class ModelStore {

    private static final Logger LOG = Logger.getLogger(ModelStore.class);
    private static final String MODEL_FILE = "model.onnx";
    private static final String VERSION_FILE = "version.json";
    /** Instants as ISO-8601, so that an operator can read version.json. */
    private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

    /**
     * One validated version.
     *
     * @param digest      manifest digest
     * @param modelDigest digest of the ONNX layer, checked again whenever the file is loaded
     */
    public record StoredModel(String digest, String name, String version, String repository, String tag,
                              String modelDigest, long modelBytes, Instant pulledAt, ArtifactConfig config) {
    }

    /** Which version serves, and whether an operator pinned it. */
    public record State(String current, String pinned) {
        static final State EMPTY = new State(null, null);
    }

    private final Path root;
    private final Path versions;
    private final Path tmp;
    private final int keep;
    private State state;

    public ModelStore(Path root, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("edge.model.keep must be at least 1, got " + keep);
        }
        this.root = root;
        this.versions = root.resolve("versions");
        this.tmp = root.resolve("tmp");
        this.keep = keep;
        Files.createDirectories(versions);
        Files.createDirectories(tmp);
        clearTmp();
        this.state = readState();
    }

    public Path root() {
        return root;
    }

    /** Leftovers of a download that did not finish (the process died or the check failed). */
    private void clearTmp() throws IOException {
        try (Stream<Path> leftovers = Files.list(tmp)) {
            for (Path leftover : leftovers.toList()) {
                LOG.infof("Removing %s, left by a download that did not finish", leftover);
                deleteTree(leftover);
            }
        }
    }

    private State readState() {
        Path file = root.resolve("state.json");
        if (!Files.exists(file)) {
            return State.EMPTY;
        }
        try {
            return JSON.readValue(file.toFile(), State.class);
        } catch (IOException e) {
            LOG.errorf("%s is unreadable (%s): starting from the newest version in the store", file, e.getMessage());
            return State.EMPTY;
        }
    }

    public synchronized State state() {
        return state;
    }

    public synchronized void setState(State next) throws IOException {
        Path staged = tmp.resolve("state-" + UUID.randomUUID() + ".json");
        JSON.writeValue(staged.toFile(), next);
        move(staged, root.resolve("state.json"), true);
        state = next;
    }

    /** A download in progress: a private folder in {@code tmp/}, deleted on close unless committed. */
    public final class Staging implements AutoCloseable {
        private final Path dir;
        private boolean committed;

        private Staging(Path dir) {
            this.dir = dir;
        }

        /** Where the model file is downloaded to. */
        public Path modelFile() {
            return dir.resolve(MODEL_FILE);
        }

        @Override
        public void close() {
            if (!committed) {
                try {
                    deleteTree(dir);
                } catch (IOException e) {
                    LOG.warnf("could not delete %s: %s (it is removed at the next start)", dir, e.getMessage());
                }
            }
        }
    }

    public Staging stage() throws IOException {
        return new Staging(Files.createDirectory(tmp.resolve("pull-" + UUID.randomUUID())));
    }

    /** Moves a validated download into the store under its manifest digest. */
    public synchronized StoredModel commit(Staging staging, StoredModel model) throws IOException {
        JSON.writeValue(staging.dir.resolve(VERSION_FILE).toFile(), model);
        Path target = folder(model.digest());
        if (Files.isDirectory(target)) {
            LOG.infof("%s is already in the store; keeping the copy there", model.digest());
            return model;
        }
        move(staging.dir, target, false);
        staging.committed = true;
        return model;
    }

    /** All readable versions, newest first. */
    public synchronized List<StoredModel> versions() {
        List<StoredModel> found = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(versions)) {
            for (Path dir : dirs.toList()) {
                try {
                    found.add(JSON.readValue(dir.resolve(VERSION_FILE).toFile(), StoredModel.class));
                } catch (IOException e) {
                    LOG.warnf("skipping %s in the model store: %s", dir, e.getMessage());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + versions, e);
        }
        found.sort(Comparator.comparing(StoredModel::pulledAt).reversed());
        return found;
    }

    public Optional<StoredModel> find(String digest) {
        return versions().stream().filter(v -> v.digest().equals(digest)).findFirst();
    }

    /** The model file of a version, after checking that its bytes are still the ones that were validated. */
    public synchronized Path verifiedFile(StoredModel model) throws IOException {
        Path file = folder(model.digest()).resolve(MODEL_FILE);
        String actual = sha256(file);
        if (!actual.equals(model.modelDigest())) {
            throw new IOException("the stored file of " + model.digest() + " has digest " + actual + ", not "
                    + model.modelDigest() + ": the disk copy is damaged");
        }
        return file;
    }

    /** Deletes the versions older than the newest {@code keep}, except the serving and the pinned one. */
    public synchronized List<String> prune() {
        List<String> deleted = new ArrayList<>();
        List<StoredModel> all = versions();
        for (int i = keep; i < all.size(); i++) {
            StoredModel model = all.get(i);
            if (model.digest().equals(state.current()) || model.digest().equals(state.pinned())) {
                continue;
            }
            try {
                deleteTree(folder(model.digest()));
                deleted.add(model.digest());
            } catch (IOException e) {
                LOG.warnf("could not delete old version %s: %s", model.digest(), e.getMessage());
            }
        }
        return deleted;
    }

    /** Deletes a version whose copy is damaged, so that it can be downloaded again. */
    public synchronized void remove(String digest) {
        try {
            deleteTree(folder(digest));
        } catch (IOException e) {
            LOG.warnf("could not delete %s from the store: %s", digest, e.getMessage());
        }
    }

    private Path folder(String digest) {
        if (!Digest.isValid(digest)) {
            throw new IllegalArgumentException("not a sha256 digest: " + digest);
        }
        return versions.resolve(digest.substring("sha256:".length()));
    }

    /** {@code sha256:<hex>} of a file's content: {@link Digest#of(Path)}. */
    public static String sha256(Path file) throws IOException {
        return Digest.of(file).toString();
    }

    private static void move(Path from, Path to, boolean replace) throws IOException {
        try {
            if (replace) {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the model store at " + from.getParent() + " needs a file system with atomic "
                    + "renames", e);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(to + " already exists", e);
        }
    }

    private static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

}
