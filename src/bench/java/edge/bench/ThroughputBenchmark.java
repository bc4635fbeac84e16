package edge.bench;

import ai.onnxruntime.OrtException;
import edge.detect.Preprocessor;
import edge.image.Frame;
import edge.image.ImageDecoder;
import edge.image.ImageLimits;
import edge.model.BatchRewrite;
import edge.model.LoadedModel;
import edge.model.ModelLoader;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * P2: images per second that 8 concurrent keep-alive REST clients get from the service, against the best images per
 * second a tight loop of raw ONNX Runtime calls reaches on this machine (batch sizes 1 and 4, one call at a time
 * with 2 intra-op threads, or two at a time with 1 thread each). Also latency percentiles at that load and the
 * service's peak RSS, for several scheduler settings (batching off and on). Load stays on 127.0.0.1 and each run is
 * bounded in time.
 *
 * <pre>mvn -q -B -Pbench verify -Dbench.main=edge.bench.ThroughputBenchmark -Dbench.args="MODEL SECONDS [CLIENTS]"</pre>
 */
public final class ThroughputBenchmark {

    /** A service setting to measure: name and the system properties it is started with. */
    record Variant(String name, List<String> properties) {
    }

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args.length > 0 ? args[0] : "../shared/models/yolov8n-int8-dynamic.onnx");
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 8;
        // JVM options of the service, e.g. "-Xmx160m" (comma-separated); default: none.
        List<String> jvm = args.length > 3 ? List.of(args[3].split(",")) : List.of();
        List<byte[]> images = List.of(Files.readAllBytes(Path.of("../shared/data/images/bus.jpg")),
                Files.readAllBytes(Path.of("../shared/data/images/zidane.jpg")));

        double rawBest = rawBest(model, seconds);
        List<Variant> variants = List.of(
                new Variant("batch off, 1 worker x 2 threads", List.of("-Dedge.batch.max-size=1",
                        "-Dedge.batch.workers=1", "-Dedge.model.threads=2")),
                new Variant("batch off, 2 workers x 1 thread", List.of("-Dedge.batch.max-size=1",
                        "-Dedge.batch.workers=2", "-Dedge.model.threads=1")),
                new Variant("batch 4 (5 ms), 1 worker x 2 threads", List.of("-Dedge.batch.max-size=4",
                        "-Dedge.batch.max-delay=5ms", "-Dedge.batch.workers=1", "-Dedge.model.threads=2")));
        List<String> rows = new ArrayList<>();
        for (Variant v : variants) {
            rows.add(measureService(model, v, jvm, images, clients, seconds, rawBest));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "raw ONNX Runtime best: %.1f images/s%n", rawBest);
        System.out.println("| model | service setting | images/s (" + clients + " clients) | P2 = images/s / raw best | "
                + "p50 ms | p95 ms | p99 ms | errors | peak RSS MB |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        rows.forEach(System.out::println);
    }

    /** The best images/s of tight raw loops over batch sizes and thread splits. */
    static double rawBest(Path model, int seconds) throws Exception {
        byte[] original = Files.readAllBytes(model);
        Path batched = Files.createTempFile(Path.of("target"), "batched-", ".onnx");
        Files.write(batched, BatchRewrite.rewrite(original).model());
        ByteBuffer one;
        try (Frame frame = new ImageDecoder(new ImageLimits(1 << 26, 1 << 26))
                .decode(Files.readAllBytes(Path.of("../shared/data/images/bus.jpg")))) {
            one = Preprocessor.prepare(frame, 640, 640).chw();
        }
        double best = 0;
        best = Math.max(best, rawLoop(model, one, 1, 2, 1, seconds));
        best = Math.max(best, rawLoop(model, one, 1, 1, 2, seconds));
        best = Math.max(best, rawLoop(batched, one, 4, 2, 1, seconds));
        best = Math.max(best, rawLoop(batched, one, 4, 1, 2, seconds));
        Files.deleteIfExists(batched);
        return best;
    }

    static double rawLoop(Path file, ByteBuffer one, int batch, int threads, int streams, int seconds)
            throws Exception {
        LoadedModel model = new ModelLoader(threads).load(file, Optional.empty());
        ByteBuffer input = ByteBuffer.allocateDirect(one.capacity() * batch).order(ByteOrder.nativeOrder());
        for (int i = 0; i < batch; i++) {
            input.put(i * one.capacity(), one, 0, one.capacity());
        }
        for (int i = 0; i < 3; i++) {
            model.run(input, batch);
        }
        AtomicInteger done = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(streams);
        List<Future<?>> futures = new ArrayList<>();
        for (int s = 0; s < streams; s++) {
            futures.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    try {
                        model.run(input, batch);
                    } catch (OrtException e) {
                        throw new IllegalStateException(e);
                    }
                    done.addAndGet(batch);
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        double perSecond = done.get() / ((System.nanoTime() - start) / 1e9);
        model.retire();
        System.out.printf(Locale.ROOT, "raw: batch %d, %d intra-op thread(s) x %d stream(s): %.1f images/s%n",
                batch, threads, streams, perSecond);
        return perSecond;
    }

    static String measureService(Path model, Variant v, List<String> jvm, List<byte[]> images, int clients,
                                 int seconds, double rawBest) throws Exception {
        int port = LatencyBenchmark.freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(jvm);
        command.addAll(List.of("-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
                "-Dedge.model.path=" + model.toAbsolutePath(), "-Dedge.batch.queue-size=64"));
        command.addAll(v.properties());
        command.addAll(List.of("-jar", "target/quarkus-app/quarkus-run.jar"));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target/bench-service.log").toFile());
        // As README's run command: fewer glibc arenas keep native memory from fragmenting across threads.
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process service = builder.start();
        try {
            HttpClient probe = HttpClient.newHttpClient();
            LatencyBenchmark.waitUntilReady(probe, port, service);
            URI uri = URI.create("http://127.0.0.1:" + port + "/detect");
            load(uri, images, clients, 3); // warm-up
            long start = System.nanoTime();
            Load result = load(uri, images, clients, seconds);
            double elapsed = (System.nanoTime() - start) / 1e9;
            double perSecond = result.latencies().size() / elapsed;
            long peakRssKb = peakRssKb(service.pid());
            List<Double> sorted = new ArrayList<>(result.latencies());
            Collections.sort(sorted);
            System.out.printf(Locale.ROOT, "%s: %.1f images/s, p50 %.1f ms, p95 %.1f, p99 %.1f, errors %d, peak RSS %d MB%n",
                    v.name(), perSecond, LatencyBenchmark.percentile(sorted, 50), LatencyBenchmark.percentile(sorted, 95),
                    LatencyBenchmark.percentile(sorted, 99), result.errors(), peakRssKb / 1024);
            return String.format(Locale.ROOT, "| %s | %s%s | %.1f | **%.2f** | %.0f | %.0f | %.0f | %d | %d |",
                    model.getFileName(), v.name(), jvm.isEmpty() ? "" : ", " + String.join(" ", jvm), perSecond, perSecond / rawBest,
                    LatencyBenchmark.percentile(sorted, 50), LatencyBenchmark.percentile(sorted, 95),
                    LatencyBenchmark.percentile(sorted, 99), result.errors(), peakRssKb / 1024);
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    record Load(List<Double> latencies, int errors) {
    }

    /** {@code clients} threads, each with its own keep-alive connection, posting images for {@code seconds}. */
    static Load load(URI uri, List<byte[]> images, int clients, int seconds) throws Exception {
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger errors = new AtomicInteger();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                int i = client;
                while (System.nanoTime() < end) {
                    byte[] image = images.get(i++ % images.size());
                    long t0 = System.nanoTime();
                    HttpResponse<Void> r = http.send(HttpRequest.newBuilder(uri).header("Content-Type", "image/jpeg")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(),
                            HttpResponse.BodyHandlers.discarding());
                    if (r.statusCode() == 200) {
                        latencies.add((System.nanoTime() - t0) / 1e6);
                    } else {
                        errors.incrementAndGet();
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return new Load(latencies, errors.get());
    }

    /** VmHWM: the most resident memory the process ever had. */
    static long peakRssKb(long pid) throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        return -1;
    }

    private ThroughputBenchmark() {
    }
}
