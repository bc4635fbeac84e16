package edge.scheduler;

/** A request waited in the queue longer than edge.batch.timeout and was dropped before inference: 503. */
public final class QueueTimeout extends RuntimeException {

    public QueueTimeout(String message) {
        super(message, null, false, false);
    }
}
