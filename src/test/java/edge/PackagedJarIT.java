package edge;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as an operator meets it: what a command prints, and why a refused start stopped. */
class PackagedJarIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar").toAbsolutePath();

    record Run(int status, List<String> lines) {
    }

    private static Run java(Path dir, Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(k -> k.startsWith("EDGE_") || k.startsWith("QUARKUS_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "did not end: " + out);
        return new Run(process.exitValue(), out.lines().toList());
    }

    @Test
    void aCommandPrintsOnlyWhatConcernsIt(@TempDir Path dir) throws Exception {
        Run keygen = java(dir, Map.of(), "keygen", "signing.pem", "signing.pub.pem");
        assertEquals(0, keygen.status(), String.join("\n", keygen.lines()));
        assertEquals(3, keygen.lines().size(), "keygen's own three lines, no server boot: " + keygen.lines());
        assertTrue(keygen.lines().get(0).startsWith("wrote private key signing.pem"), keygen.lines().toString());
        assertTrue(Files.isRegularFile(dir.resolve("signing.pub.pem")));

        Run publish = java(dir, Map.of(), "publish", "m.onnx", "--registry", "http://127.0.0.1:1", "--repository", "r");
        assertEquals(2, publish.status());
        assertEquals("publish: --key SIGNING.pem is missing", publish.lines().get(0).substring(0, 37), publish.lines().toString());
        for (String line : publish.lines()) {
            assertFalse(line.contains("INFO") || line.contains("WARN") || line.contains("503")
                    || line.contains("\"status\""), "a server line in a command's output: " + line);
        }
    }

    @Test
    void aRefusedStartEndsWithOneLineThatSaysWhatToDo(@TempDir Path dir) throws Exception {
        Run run = java(dir, Map.of("QUARKUS_HTTP_HOST", "0.0.0.0", "QUARKUS_HTTP_PORT", "0"));
        assertEquals(1, run.status(), String.join("\n", run.lines()));
        String last = run.lines().get(run.lines().size() - 1);
        assertEquals("edge-detector did not start: the service listens on 0.0.0.0 without API keys. Three ways out: "
                + "set API keys (env EDGE_API_KEYS=key1,key2), or listen on loopback only (env "
                + "QUARKUS_HTTP_HOST=127.0.0.1), or accept open access deliberately (env EDGE_API_ALLOW_ANONYMOUS=true)",
                last);
    }
}
