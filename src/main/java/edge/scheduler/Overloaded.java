package edge.scheduler;

/** The queue is full: answered 429 (REST) / RESOURCE_EXHAUSTED (gRPC) with a hint when to retry. */
public final class Overloaded extends RuntimeException {

    private final int retryAfterSeconds;

    public Overloaded(String message, int retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
