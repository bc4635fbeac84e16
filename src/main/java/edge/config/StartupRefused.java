package edge.config;

/**
 * The configuration does not let the service start. Its message says what is wrong and how to fix it; {@link EdgeMain}
 * prints it as the last line of the log, under Quarkus' stack trace, where an operator reading the tail finds it.
 */
public class StartupRefused extends RuntimeException {

    public StartupRefused(String message) {
        super(message);
    }

    public StartupRefused(String message, Throwable cause) {
        super(message, cause);
    }
}
