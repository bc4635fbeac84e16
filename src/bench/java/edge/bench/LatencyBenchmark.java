package edge.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import edge.detect.Preprocessor;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.LoadedModel;
import edge.model.ModelLoader;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * P1: median end-to-end latency of {@code POST /detect} (one client, keep-alive, over 127.0.0.1) against the median
 * raw {@code session.run} on the same pre-processed tensor, measured in one run, interleaved in rounds so that the
 * machine's noise hits both sides alike. Starts the packaged service ({@code target/quarkus-app}) itself.
 *
 * <pre>mvn -q -Pbench verify   (see BENCHMARKS.md for the arguments)</pre>
 */
public final class LatencyBenchmark {

    /**
     * Arguments: model, image, rounds, requests per round, then the ONNX Runtime spinning settings to compare
     * ({@code on}, {@code off}; default both). Each setting gets its own service process and its own raw session.
     */
    public static void main(String[] args) throws Exception {
        Path model = Path.of(arg(args, 0, "../shared/models/yolov8n-int8-dynamic.onnx"));
        Path image = Path.of(arg(args, 1, "../shared/data/images/bus.jpg"));
        int rounds = Integer.parseInt(arg(args, 2, "5"));
        int perRound = Integer.parseInt(arg(args, 3, "20"));
        List<String> spinnings = args.length > 4 ? Arrays.asList(args).subList(4, args.length) : List.of("on", "off");
        List<String> table = new ArrayList<>();
        for (String spinning : spinnings) {
            table.add(measure(model, image, rounds, perRound, spinning.equals("on")));
        }
        System.out.println();
        System.out.println("| model | spinning | POST /detect median (ms) | raw session.run median (ms) | decode | preprocess | "
                + "inference (in service) | postprocess | P1 ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        table.forEach(System.out::println);
    }

    private static String measure(Path model, Path image, int rounds, int perRound, boolean spinning) throws Exception {
        int threads = Runtime.getRuntime().availableProcessors();
        byte[] jpeg = Files.readAllBytes(image);
        int port = freePort();
        Process service = startService(model, port, threads, spinning);
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI detect = URI.create("http://127.0.0.1:" + port + "/detect");
            waitUntilReady(client, port, service);

            LoadedModel raw = new ModelLoader(threads, spinning, false).load(model, Optional.empty());
            java.nio.ByteBuffer tensor;
            try (Frame frame = new ImageDecoder(new ImageLimits(Long.MAX_VALUE, Long.MAX_VALUE)).decode(jpeg)) {
                tensor = Preprocessor.prepare(frame, raw.contract().inputWidth(), raw.contract().inputHeight()).chw();
            }
            ObjectMapper json = new ObjectMapper();
            List<Double> http = new ArrayList<>();
            List<Double> run = new ArrayList<>();
            List<double[]> steps = new ArrayList<>();
            // Warm-up both sides: JIT, connection, ORT arenas.
            for (int i = 0; i < perRound; i++) {
                post(client, detect, jpeg);
                raw.run(tensor, 1);
            }
            for (int r = 0; r < rounds; r++) {
                for (int i = 0; i < perRound; i++) {
                    long t0 = System.nanoTime();
                    String body = post(client, detect, jpeg);
                    http.add((System.nanoTime() - t0) / 1e6);
                    JsonNode t = json.readTree(body).get("timings");
                    steps.add(new double[] {t.get("decodeMs").asDouble(), t.get("preprocessMs").asDouble(),
                            t.get("inferenceMs").asDouble(), t.get("postprocessMs").asDouble(),
                            t.get("totalMs").asDouble()});
                }
                for (int i = 0; i < perRound; i++) {
                    long t0 = System.nanoTime();
                    raw.run(tensor, 1);
                    run.add((System.nanoTime() - t0) / 1e6);
                }
            }
            double httpMedian = median(http);
            double runMedian = median(run);
            System.out.printf(Locale.ROOT, "model=%s image=%s threads=%d spinning=%s samples=%d (x%d rounds)%n",
                    model.getFileName(), image.getFileName(), threads, spinning, http.size(), rounds);
            System.out.printf(Locale.ROOT, "POST /detect end-to-end median %.1f ms (p10 %.1f, p90 %.1f)%n",
                    httpMedian, percentile(http, 10), percentile(http, 90));
            System.out.printf(Locale.ROOT, "raw session.run median %.1f ms (p10 %.1f, p90 %.1f)%n",
                    runMedian, percentile(run, 10), percentile(run, 90));
            System.out.printf(Locale.ROOT, "service-side medians: decode %.1f, preprocess %.1f, inference %.1f, "
                            + "postprocess %.1f, total %.1f ms%n", column(steps, 0), column(steps, 1), column(steps, 2),
                    column(steps, 3), column(steps, 4));
            System.out.printf(Locale.ROOT, "P1 ratio (end-to-end / raw run) = %.3f%n", httpMedian / runMedian);
            raw.retire();
            return String.format(Locale.ROOT, "| %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | **%.2f** |",
                    model.getFileName(), spinning ? "on" : "off", httpMedian, runMedian, column(steps, 0),
                    column(steps, 1), column(steps, 2), column(steps, 3), httpMedian / runMedian);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    private static String post(HttpClient client, URI uri, byte[] jpeg) throws IOException, InterruptedException {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri)
                .header("Content-Type", "image/jpeg").POST(HttpRequest.BodyPublishers.ofByteArray(jpeg)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("POST /detect answered " + response.statusCode() + ": " + response.body());
        }
        return response.body();
    }

    static Process startService(Path model, int port, int threads, boolean spinning) throws IOException {
        Path jar = Path.of("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException("build the service first: mvn -q package -DskipTests");
        }
        // One worker with every core inside the call: the setting with the lowest single-client latency.
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dedge.model.path=" + model.toAbsolutePath(), "-Dedge.model.threads=" + threads,
                "-Dedge.batch.workers=1",
                "-Dedge.model.spinning=" + spinning,
                "-jar", jar.toString())
                .redirectErrorStream(true)
                .redirectOutput(Path.of("target/bench-service.log").toFile())
                .start();
    }

    static void waitUntilReady(HttpClient client, int port, Process service) throws Exception {
        URI ready = URI.create("http://127.0.0.1:" + port + "/q/health/ready");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!service.isAlive()) {
                throw new IllegalStateException("the service exited; see target/bench-service.log");
            }
            try {
                if (client.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.discarding())
                        .statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the service was not ready within 60 s; see target/bench-service.log");
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static double median(List<Double> values) {
        return percentile(values, 50);
    }

    static double percentile(List<Double> values, double p) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static double column(List<double[]> rows, int column) {
        return median(rows.stream().map(r -> r[column]).toList());
    }

    private static String arg(String[] args, int index, String fallback) {
        return args.length > index ? args[index] : fallback;
    }

    private LatencyBenchmark() {
    }
}
