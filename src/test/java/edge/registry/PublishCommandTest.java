package edge.registry;

import edge.registry.oci.OciReader;
import edge.registry.oci.RegistryEndpoint;
import edge.registry.sign.KeygenCommand;
import edge.registry.sign.SignatureLayout;
import edge.testing.Fixtures;
import edge.testing.RegistryServer;
import edge.testing.TinyOnnx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The publisher command the central team runs, against a real registry. */
class PublishCommandTest {

    private static RegistryServer registry;

    @TempDir
    Path dir;

    @BeforeAll
    static void startRegistry() {
        registry = RegistryServer.builder().start();
    }

    @AfterAll
    static void stopRegistry() {
        registry.close();
    }

    private record Run(int status, String out) {
    }

    private static Run publish(String... args) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = PublishCommand.run(List.of(args), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        return new Run(status, bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void publishesASignedModelWithItsConfigAndMovesTheTag() throws Exception {
        Path key = dir.resolve("signing.pem");
        assertEquals(0, KeygenCommand.run(List.of(key.toString(), dir.resolve("signing.pub.pem").toString()),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
        Run run = publish(Fixtures.model(Fixtures.DYNAMIC).toString(), "--registry", registry.url().toString(),
                "--repository", "vision/yolov8n", "--tag", "canary", "--key", key.toString(), "--version", "2026.11.28",
                "--canary", "bus:person>=3,bus>=1");
        assertEquals(0, run.status(), run.out());
        Matcher m = Pattern.compile("digest (sha256:[a-f0-9]{64})").matcher(run.out());
        assertTrue(m.find(), run.out());
        String digest = m.group(1);

        OciReader client = new OciReader(RegistryEndpoint.of(registry.url()));
        assertEquals(digest, client.resolve("vision/yolov8n", "canary"));
        ModelArtifact artifact = ModelArtifact.parse(digest, client.manifest("vision/yolov8n", digest));
        assertEquals("yolov8n-int8-dynamic.onnx", artifact.fileName());
        ArtifactConfig config = ArtifactConfig.parse(client.blob("vision/yolov8n", artifact.config(), 1 << 20));
        assertEquals("2026.11.28", config.version());
        assertEquals(80, config.classNames().size());
        assertEquals(List.of(640, 640), config.inputSize());
        assertEquals(3, config.canary().get("bus").get("person"));
        client.resolve("vision/yolov8n", SignatureLayout.signatureTag(digest));
    }

    @Test
    void refusesWhatTheServiceCouldNotServeAndUnsignedUnlessAsked() {
        Path identity = TinyOnnx.identity(dir, 1, 3, 8, 8);
        Run notYolo = publish(identity.toString(), "--registry", registry.url().toString(), "--repository", "r",
                "--unsigned", "--version", "1");
        assertEquals(1, notYolo.status());
        assertTrue(notYolo.out().contains("not published") && notYolo.out().contains("YOLO"), notYolo.out());

        Run noKey = publish(Fixtures.model(Fixtures.DYNAMIC).toString(), "--registry", registry.url().toString(),
                "--repository", "r");
        assertEquals(2, noKey.status(), "neither --key nor --unsigned");
        assertTrue(noKey.out().contains("usage"), noKey.out());
        assertTrue(noKey.out().startsWith("publish: --key SIGNING.pem is missing"), noKey.out());
    }

    @Test
    void saysWhichOptionIsMissing() {
        Optional<String> url = Optional.of("http://127.0.0.1:1");
        Optional<String> repo = Optional.of("r");
        assertEquals(Optional.empty(), PublishCommand.missing(List.of("m.onnx"), url, repo, true, false));
        assertEquals(Optional.empty(), PublishCommand.missing(List.of("m.onnx"), url, repo, false, true));
        assertTrue(PublishCommand.missing(List.of(), url, repo, true, false).get().contains("MODEL.onnx"));
        assertTrue(PublishCommand.missing(List.of("a", "b"), url, repo, true, false).get().contains("one model"));
        assertTrue(PublishCommand.missing(List.of("m.onnx"), Optional.empty(), repo, true, false).get()
                .startsWith("--registry"));
        assertTrue(PublishCommand.missing(List.of("m.onnx"), url, Optional.empty(), true, false).get()
                .startsWith("--repository"));
        assertTrue(PublishCommand.missing(List.of("m.onnx"), url, repo, false, false).get().startsWith("--key"));
        assertTrue(PublishCommand.missing(List.of("m.onnx"), url, repo, true, true).get().contains("contradict"));
    }
}
