package edge.bench;

import com.google.protobuf.ByteString;
import edge.api.grpc.v1.DetectRequest;
import edge.api.grpc.v1.DetectionServiceGrpc;
import edge.testing.BadInputs;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reliability under load (issue 9), against the packaged service started with the README's memory flags on
 * 127.0.0.1:
 * <ol>
 *   <li>the bad-input suite ({@link BadInputs}) {@code ROUNDS} times from 4 clients, RSS sampled as it goes:
 *       every answer must be the expected status, RSS must not trend upwards;</li>
 *   <li>{@code CLIENTS} clients for {@code SECONDS}, mixing valid and invalid requests over REST and gRPC: zero
 *       5xx, zero requests without an answer, latency percentiles of the valid ones, RSS, open files and threads
 *       at start and end.</li>
 * </ol>
 * <pre>mvn -q -B -Pbench verify -Dbench.main=edge.bench.SoakBenchmark -Dbench.args="SECONDS CLIENTS ROUNDS"</pre>
 */
public final class SoakBenchmark {

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 60;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 8;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 1000;
        Path model = Path.of("../shared/models/yolov8n-int8-dynamic.onnx").toAbsolutePath();
        int port = LatencyBenchmark.freePort();
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port, "-Dedge.model.path=" + model, "-jar",
                "target/quarkus-app/quarkus-run.jar");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(Path.of("target/soak-service.log").toFile());
        builder.environment().put("MALLOC_ARENA_MAX", "2");
        Process service = builder.start();
        try {
            HttpClient probe = HttpClient.newHttpClient();
            LatencyBenchmark.waitUntilReady(probe, port, service);
            URI base = URI.create("http://127.0.0.1:" + port);
            List<BadInputs.Case> corpus = BadInputs.all();
            suite(base, corpus, 20, service.pid()); // warm-up
            System.out.printf("start: %s%n", vitals(service.pid()));
            suiteRounds(base, corpus, rounds, service.pid());
            load(base, port, corpus, clients, seconds, service.pid());
        } finally {
            service.destroy();
            service.waitFor();
        }
    }

    /** RSS (MB), open file descriptors and threads of the service. */
    static String vitals(long pid) throws Exception {
        long rss = -1;
        long threads = -1;
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", "")) / 1024;
            } else if (line.startsWith("Threads:")) {
                threads = Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        long fds;
        try (var list = Files.list(Path.of("/proc/" + pid + "/fd"))) {
            fds = list.count();
        }
        return String.format(Locale.ROOT, "RSS %d MB, %d fds, %d threads", rss, fds, threads);
    }

    static void suiteRounds(URI base, List<BadInputs.Case> corpus, int rounds, long pid) throws Exception {
        long start = System.nanoTime();
        int step = Math.max(1, rounds / 10);
        int wrong = 0;
        List<String> trend = new ArrayList<>();
        for (int done = 0; done < rounds; done += step) {
            wrong += suite(base, corpus, Math.min(step, rounds - done), pid);
            trend.add(String.format(Locale.ROOT, "%d:%s", done + Math.min(step, rounds - done),
                    vitals(pid).split(",")[0].replace("RSS ", "")));
        }
        System.out.printf(Locale.ROOT, "bad-input suite: %d rounds x %d bodies = %d requests in %.0f s, %d "
                        + "unexpected answers; RSS after each tenth: %s%n", rounds, corpus.size(), rounds * corpus.size(),
                (System.nanoTime() - start) / 1e9, wrong, String.join(", ", trend));
    }

    /** The corpus {@code rounds} times from 4 clients; returns the number of answers with an unexpected status. */
    static int suite(URI base, List<BadInputs.Case> corpus, int rounds, long pid) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicInteger wrong = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < 4; c++) {
            int client = c;
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                for (int r = client; r < rounds; r += 4) {
                    for (BadInputs.Case c2 : corpus) {
                        HttpResponse<Void> response = http.send(HttpRequest.newBuilder(base.resolve("/count"))
                                .header("Content-Type", c2.contentType())
                                .POST(HttpRequest.BodyPublishers.ofByteArray(c2.body())).build(),
                                HttpResponse.BodyHandlers.discarding());
                        if (response.statusCode() != c2.status()) {
                            wrong.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        return wrong.get();
    }

    static void load(URI base, int port, List<BadInputs.Case> corpus, int clients, int seconds, long pid)
            throws Exception {
        byte[] bus = Files.readAllBytes(Path.of("../shared/data/images/bus.jpg"));
        byte[] zidane = Files.readAllBytes(Path.of("../shared/data/images/zidane.jpg"));
        List<BadInputs.Case> invalid = corpus.stream().filter(c -> c.status() != 200).toList();
        ManagedChannel channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Map<String, AtomicLong> outcomes = new ConcurrentHashMap<>();
        List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
        AtomicLong fivexx = new AtomicLong();
        AtomicLong lost = new AtomicLong();
        AtomicLong unexpected = new AtomicLong();
        System.out.printf("load start: %s%n", vitals(pid));
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> futures = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(10)).build();
                DetectionServiceGrpc.DetectionServiceBlockingStub grpc = DetectionServiceGrpc.newBlockingStub(channel);
                while (System.nanoTime() < end) {
                    int pick = ThreadLocalRandom.current().nextInt(100);
                    long t0 = System.nanoTime();
                    String kind;
                    try {
                        if (pick < 60) {
                            kind = "rest valid";
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/detect"))
                                    .timeout(Duration.ofSeconds(30)).header("Content-Type", "image/jpeg")
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(pick % 2 == 0 ? bus : zidane)).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            check(r.statusCode(), 200, fivexx, unexpected);
                            latencies.add((System.nanoTime() - t0) / 1e6);
                        } else if (pick < 75) {
                            kind = "grpc valid";
                            grpc.withDeadlineAfter(30, TimeUnit.SECONDS).count(DetectRequest.newBuilder()
                                    .setImage(ByteString.copyFrom(bus)).build());
                            latencies.add((System.nanoTime() - t0) / 1e6);
                        } else if (pick < 90) {
                            kind = "rest invalid";
                            BadInputs.Case bad = invalid.get(ThreadLocalRandom.current().nextInt(invalid.size()));
                            HttpResponse<Void> r = http.send(HttpRequest.newBuilder(base.resolve("/count"))
                                    .timeout(Duration.ofSeconds(30)).header("Content-Type", bad.contentType())
                                    .POST(HttpRequest.BodyPublishers.ofByteArray(bad.body())).build(),
                                    HttpResponse.BodyHandlers.discarding());
                            check(r.statusCode(), bad.status(), fivexx, unexpected);
                        } else {
                            kind = "grpc invalid";
                            try {
                                grpc.withDeadlineAfter(30, TimeUnit.SECONDS).count(DetectRequest.newBuilder()
                                        .setImage(ByteString.copyFromUtf8("not an image")).build());
                                unexpected.incrementAndGet();
                            } catch (StatusRuntimeException e) {
                                if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
                                    unexpected.incrementAndGet();
                                }
                            }
                        }
                    } catch (StatusRuntimeException e) {
                        kind = "grpc valid";
                        if (e.getStatus().getCode() == Status.Code.DEADLINE_EXCEEDED
                                || e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                            lost.incrementAndGet();
                        } else {
                            fivexx.incrementAndGet();
                        }
                    } catch (java.io.IOException e) {
                        kind = "lost";
                        lost.incrementAndGet();
                    }
                    outcomes.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        List<Double> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        long total = outcomes.values().stream().mapToLong(AtomicLong::get).sum();
        System.out.printf(Locale.ROOT, "load: %d clients x %d s: %d requests %s; 5xx %d, lost %d, unexpected status %d; "
                        + "valid latency p50 %.0f ms, p95 %.0f, p99 %.0f%n", clients, seconds, total, outcomes,
                fivexx.get(), lost.get(), unexpected.get(), LatencyBenchmark.percentile(sorted, 50),
                LatencyBenchmark.percentile(sorted, 95), LatencyBenchmark.percentile(sorted, 99));
        System.out.printf("load end: %s%n", vitals(pid));
        Thread.sleep(5000);
        System.out.printf("5 s after: %s%n", vitals(pid));
    }

    private static void check(int status, int expected, AtomicLong fivexx, AtomicLong unexpected) {
        if (status >= 500) {
            fivexx.incrementAndGet();
        } else if (status != expected) {
            unexpected.incrementAndGet();
        }
    }

    private SoakBenchmark() {
    }
}
