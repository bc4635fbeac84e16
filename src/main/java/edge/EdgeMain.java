package edge;

import edge.config.StartupRefused;
import edge.eval.EvalCommand;
import edge.model.BatchifyCommand;
import edge.registry.PublishCommand;
import edge.registry.sign.KeygenCommand;
import io.quarkus.runtime.ApplicationLifecycleManager;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import io.quarkus.runtime.annotations.QuarkusMain;

import java.util.Arrays;
import java.util.List;

/**
 * Serves by default; {@code eval FOLDER} runs the accuracy evaluation through the same pipeline and exits;
 * {@code batchify IN OUT} rewrites a fixed-batch model to a dynamic batch; {@code publish} pushes a signed model to a
 * registry and {@code keygen} makes the signing key pair.
 */
@QuarkusMain
public class EdgeMain implements QuarkusApplication {

    private final EvalCommand eval;

    public EdgeMain(EvalCommand eval) {
        this.eval = eval;
    }

    public static void main(String... args) {
        if (args.length > 0 && System.getProperty("quarkus.http.port") == null) {
            // A command must not collide with a service already running on the same box, nor serve the network.
            System.setProperty("quarkus.http.port", "0");
            System.setProperty("quarkus.http.host", "127.0.0.1");
        }
        if (args.length > 0 && System.getProperty("quarkus.log.level") == null
                && System.getenv("QUARKUS_LOG_LEVEL") == null) {
            // A command prints what concerns it (its own output goes to System.out), not the server's boot: the
            // log keeps errors only unless the operator asks for more with quarkus.log.level.
            System.setProperty("quarkus.log.level", "ERROR");
        }
        Quarkus.run(EdgeMain.class, EdgeMain::exit, args);
    }

    /**
     * Quarkus' default exit (ApplicationLifecycleManager's), plus one plain line at the very end when the start failed: the stack trace above it
     * is for developers, the operator reading the tail of a pod log needs what is wrong and what to do.
     */
    static void exit(int status, Throwable failure) {
        if (failure != null) {
            System.err.println(refusal(failure));
            System.err.flush();
        }
        // Then whatever Quarkus would do: System.exit in production, the launcher's own handler in tests.
        ApplicationLifecycleManager.getDefaultExitCodeHandler().accept(status == 0 && failure != null ? 1 : status,
                failure);
    }

    /** "edge-detector did not start: ..." with the refusal's own words, else the innermost cause's. */
    static String refusal(Throwable failure) {
        Throwable root = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof StartupRefused) {
                return "edge-detector did not start: " + t.getMessage();
            }
            root = t;
        }
        return "edge-detector did not start: " + (root.getMessage() == null ? root.toString() : root.getMessage());
    }

    @Override
    public int run(String... args) throws Exception {
        if (args.length == 0) {
            Quarkus.waitForExit();
            return 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        if (args[0].equals("eval")) {
            return eval.run(rest, System.out);
        }
        if (args[0].equals("batchify")) {
            return BatchifyCommand.run(rest, System.out);
        }
        if (args[0].equals("publish")) {
            return PublishCommand.run(rest, System.out);
        }
        if (args[0].equals("keygen")) {
            return KeygenCommand.run(rest, System.out);
        }
        System.out.println("unknown command '" + args[0] + "'; commands: eval FOLDER, batchify IN.onnx OUT.onnx, "
                + "publish MODEL.onnx ..., keygen PRIVATE.pem PUBLIC.pem (no command: serve)");
        return 2;
    }
}
