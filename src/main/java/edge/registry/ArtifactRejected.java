package edge.registry;

/** A manifest or config that is not a model artifact of ours; the message says what is wrong. */
public class ArtifactRejected extends Exception {
    public ArtifactRejected(String message) {
        super(message);
    }
}
