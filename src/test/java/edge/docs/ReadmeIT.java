package edge.docs;

import edge.deploy.K3sManifests;
import edge.docs.DocBlocks.Block;
import edge.docs.DocBlocks.Kind;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The documentation is executable: every shell block of the READMEs is run, or, where it cannot run on one box,
 * checked ({@link DocBlocks} says how each is marked). Run blocks go in document order through one "session": the
 * variables a block exports are there for the next ones, as in the reader's terminal; a {@code start} block runs in
 * the background exactly as written (its {@code mvn package} included) and the next blocks talk to it on port 8080.
 * Writes target/docs-check/blocks.txt: every block, what was done with it and the result.
 */
class ReadmeIT {

    static final List<String> DOCS = List.of("README.md", "edge-config/README.md", "k3s/README.md", "models/README.md");
    private static final Path WORK = Path.of("target/docs-check").toAbsolutePath();
    private static final Path SESSION = WORK.resolve("session.env");
    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(4);

    private static final List<String> report = new ArrayList<>();
    private static Process service;
    private static Path serviceLog;

    @BeforeAll
    static void freshSession() throws IOException {
        Files.createDirectories(WORK);
        Files.writeString(SESSION, "");
    }

    @AfterAll
    static void stopAndReport() throws IOException, InterruptedException {
        stopService();
        Files.write(WORK.resolve("blocks.txt"), report);
    }

    @TestFactory
    Stream<DynamicTest> everyShellBlockIsRunOrChecked() throws IOException {
        List<Block> blocks = new ArrayList<>();
        for (String doc : DOCS) {
            blocks.addAll(DocBlocks.parse(doc, Files.readString(Path.of(doc))));
        }
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(DynamicTest.dynamicTest("every shell block is marked", () -> {
            String unmarked = blocks.stream().filter(b -> b.kind() == Kind.UNMARKED).map(Block::where)
                    .collect(Collectors.joining(", "));
            assertEquals("", unmarked, "shell blocks without a <!-- check: run|start|syntax --> marker");
        }));
        for (Block block : blocks) {
            if (block.kind() != Kind.UNMARKED) {
                tests.add(DynamicTest.dynamicTest(block.kind().name().toLowerCase() + " " + block.where(),
                        () -> check(block)));
            }
        }
        return tests.stream();
    }

    private static void check(Block block) throws Exception {
        String first = block.text().lines().filter(l -> !l.isBlank()).findFirst().orElse("").strip();
        String what = block.where() + " " + block.kind().name().toLowerCase()
                + (block.why() != null ? " (" + block.why() + ")" : "") + ": " + first;
        report.add(what);
        switch (block.kind()) {
            case SYNTAX -> syntax(block);
            case RUN -> run(block);
            case START -> start(block);
            default -> fail("unmarked " + block.where());
        }
    }

    private static void syntax(Block block) throws Exception {
        Result parse = bash(List.of("bash", "-n", "-c", block.text()), Duration.ofSeconds(30));
        assertEquals(0, parse.status(), block.where() + " is not valid shell: " + parse.output());
        for (String dir : DocBlocks.kustomizations(block.text())) {
            report.add("    kubectl kustomize " + dir + (K3sManifests.kubectl() ? "" : ": NOT checked, kubectl is missing"));
            K3sManifests.failWithoutKubectlUnderCi(block.where() + ": kubectl kustomize " + dir + " was not checked");
            if (K3sManifests.kubectl()) {
                Result render = bash(List.of("kubectl", "kustomize", dir), Duration.ofSeconds(60));
                assertEquals(0, render.status(), block.where() + ": kubectl kustomize " + dir + ": " + render.output());
            }
        }
    }

    private static void run(Block block) throws Exception {
        Result result = bash(List.of("bash", "-c", session(block.text(), true)), BLOCK_TIMEOUT);
        assertEquals(0, result.status(), block.where() + " failed (exit " + result.status() + "):\n" + block.text()
                + "--- output ---\n" + result.output() + serviceTail());
        if (block.expect() != null) {
            assertTrue(result.output().contains(block.expect()), block.where() + ": the output does not contain \""
                    + block.expect() + "\":\n" + result.output());
        }
    }

    /** The block as the reader runs it: after the variables earlier blocks exported, saving its own for the next. */
    private static String session(String text, boolean saveExports) {
        return "set -eu\nset -a; source '" + SESSION + "'; set +a\n" + text
                + (saveExports ? "\nexport -p | grep -E '^declare -x EDGE_' > '" + SESSION + "' || true\n" : "");
    }

    private static void start(Block block) throws Exception {
        stopService();
        serviceLog = WORK.resolve("service-" + block.line() + ".log");
        // setsid: its own process group, so that stopping it stops mvn's and java's children too.
        service = new ProcessBuilder("setsid", "bash", "-c", session(block.text(), false))
                .redirectErrorStream(true).redirectOutput(serviceLog.toFile()).start();
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                fail(block.where() + ": the service exited (" + service.exitValue() + ")" + serviceTail());
            }
            try {
                HttpResponse<String> ready = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:8080/q/health/ready")).timeout(Duration.ofSeconds(3)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (ready.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        fail(block.where() + ": not ready within " + START_TIMEOUT + serviceTail());
    }

    private static void stopService() throws IOException, InterruptedException {
        if (service != null && service.isAlive()) {
            new ProcessBuilder("kill", "-TERM", "--", "-" + service.pid()).start().waitFor(10, TimeUnit.SECONDS);
            if (!service.waitFor(30, TimeUnit.SECONDS)) {
                new ProcessBuilder("kill", "-KILL", "--", "-" + service.pid()).start().waitFor(10, TimeUnit.SECONDS);
                service.waitFor(10, TimeUnit.SECONDS);
            }
        }
        service = null;
    }

    private static String serviceTail() {
        if (serviceLog == null) {
            return "";
        }
        try {
            List<String> lines = Files.readAllLines(serviceLog);
            return "\n--- service log (" + serviceLog + ") ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    record Result(int status, String output) {
    }

    private static Result bash(List<String> command, Duration timeout) throws IOException, InterruptedException {
        Path out = Files.createTempFile(WORK, "block", ".out");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return new Result(-1, "timed out after " + timeout + "\n" + Files.readString(out));
        }
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);
        return new Result(process.exitValue(), output);
    }
}
