package edge.scheduler;

import ai.onnxruntime.OrtException;
import edge.config.BatchConfig;
import edge.model.LoadedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.jboss.logging.Logger;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The one way to the model. Requests are admitted up to {@code edge.batch.queue-size} (one more is
 * {@link Overloaded}); decoding and letterboxing happen on the caller's thread, so the next tensor is ready while the
 * current one runs; dispatcher threads take tensors from the queue and run them, several in one ONNX Runtime call
 * when the model's batch is dynamic, back to back otherwise. A tensor that waited longer than
 * {@code edge.batch.timeout} is answered {@link QueueTimeout} without running. Every admitted request gets exactly
 * one answer.
 */
@ApplicationScoped
@Startup // workers ready (and the settings logged) before the first request
public class InferenceScheduler {

    private static final Logger LOG = Logger.getLogger(InferenceScheduler.class);
    /** Seconds a refused client should wait: about the time a full queue takes to drain on a small box. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final int maxBatch;
    private final long maxDelayNanos;
    private final long timeoutNanos;
    private final int queueSize;
    private final Semaphore admission;
    /** Requests decoding, queued as tensors or running: enough to keep every worker busy, few enough to bound memory. */
    private final Semaphore working;
    private final int workSlots;
    private final BlockingQueue<Job> queue = new LinkedBlockingQueue<>();
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean running = true;

    private final DistributionSummary batchSizes;
    private final Timer queueWait;
    private final Counter rejectedFull;
    private final Counter rejectedTimeout;

    /** One tensor of {@code images} images waiting for the model that will run it. */
    private record Job(LoadedModel model, ByteBuffer nchw, int images, long enqueued,
                       CompletableFuture<LoadedModel.RawOutput> answer) {
    }

    public InferenceScheduler(BatchConfig config, MeterRegistry registry) {
        if (config.maxSize() < 1 || config.queueSize() < 1 || config.effectiveWorkers() < 1) {
            throw new IllegalArgumentException("edge.batch.max-size, queue-size and workers must be at least 1");
        }
        this.maxBatch = config.maxSize();
        this.maxDelayNanos = config.maxDelay().toNanos();
        this.timeoutNanos = config.timeout().toNanos();
        this.queueSize = config.queueSize();
        this.admission = new Semaphore(queueSize);
        // One call running and the next one prepared, per worker.
        this.workSlots = 2 * config.effectiveWorkers() * maxBatch;
        this.working = new Semaphore(workSlots);
        Gauge.builder("edge.scheduler.queue.depth", queue, BlockingQueue::size)
                .description("Tensors waiting for the model").register(registry);
        Gauge.builder("edge.scheduler.admitted", this, s -> s.queueSize - s.admission.availablePermits())
                .description("Requests admitted and not yet answered (decoding, queued or running)").register(registry);
        this.batchSizes = DistributionSummary.builder("edge.scheduler.batch.size")
                .description("Images per ONNX Runtime call").serviceLevelObjectives(1, 2, 4, 8, 16).register(registry);
        this.queueWait = Timer.builder("edge.scheduler.queue.wait").description("Time a tensor waited for the model")
                .publishPercentileHistogram().register(registry);
        this.rejectedFull = Counter.builder("edge.scheduler.rejected").tag("reason", "queue_full")
                .description("Requests refused by the scheduler").register(registry);
        this.rejectedTimeout = Counter.builder("edge.scheduler.rejected").tag("reason", "timeout")
                .description("Requests refused by the scheduler").register(registry);
        for (int i = 0; i < config.effectiveWorkers(); i++) {
            Thread worker = new Thread(this::dispatch, "edge-inference-" + i);
            worker.setDaemon(true);
            worker.start();
            workers.add(worker);
        }
        LOG.infof("Inference scheduler: up to %d images per call (waiting at most %d ms for more), queue %d "
                        + "(%d decoding or inferring at once), timeout %d ms, %d worker(s)", maxBatch,
                config.maxDelay().toMillis(), queueSize, workSlots, config.timeout().toMillis(),
                config.effectiveWorkers());
    }

    /** Requests admitted at most at once. */
    public int queueSize() {
        return queueSize;
    }

    /**
     * A place in the queue, held from before decoding until the answer; close it when done. Admitted requests then
     * wait (holding only their encoded bytes) for one of the few work slots before they decode, so that at most a
     * couple of decoded frames and tensors per worker exist at any time, however many clients are waiting.
     */
    public final class Ticket implements AutoCloseable {
        private final long admitted = System.nanoTime();
        private boolean working;
        private boolean released;

        /** Waits for a work slot; {@link QueueTimeout} when none frees up within edge.batch.timeout of admission. */
        public void startWork() {
            long left = timeoutNanos - (System.nanoTime() - admitted);
            boolean acquired;
            try {
                acquired = left > 0 && InferenceScheduler.this.working.tryAcquire(left, TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                acquired = false;
            }
            if (!acquired) {
                rejectedTimeout.increment();
                throw timeout(System.nanoTime() - admitted);
            }
            synchronized (this) {
                working = true;
            }
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                if (working) {
                    InferenceScheduler.this.working.release();
                }
                admission.release();
            }
        }
    }

    private QueueTimeout timeout(long waitedNanos) {
        return new QueueTimeout("the request waited " + TimeUnit.NANOSECONDS.toMillis(waitedNanos)
                + " ms for the model, over edge.batch.timeout (" + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                + " ms); the box is overloaded");
    }

    /** @throws Overloaded when {@code edge.batch.queue-size} requests are already admitted */
    public Ticket admit() {
        if (!running || !admission.tryAcquire()) {
            rejectedFull.increment();
            throw new Overloaded("the inference queue is full (" + queueSize + " requests, edge.batch.queue-size); "
                    + "retry in " + RETRY_AFTER_SECONDS + " s", RETRY_AFTER_SECONDS);
        }
        return new Ticket();
    }

    /**
     * Runs {@code images} images laid out NCHW (direct, native order) on {@code model}, in the caller's turn.
     * Blocks until the answer; the caller must hold a {@link Ticket}.
     */
    public LoadedModel.RawOutput infer(LoadedModel model, ByteBuffer nchw, int images) {
        Job job = new Job(model, nchw, images, System.nanoTime(), new CompletableFuture<>());
        queue.add(job);
        if (!running) {
            fail(job, new IllegalStateException("the service is shutting down"));
        }
        try {
            return answer(job);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("inference failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /**
     * Waits for the job's answer even when the caller is interrupted (a camera thread at shutdown): the caller's
     * model lease and tensor must outlive the call that uses them, or ONNX Runtime would run on a closed session.
     * Every job is answered: run, failed by a worker that stops, or failed by {@link #onStop}.
     */
    private LoadedModel.RawOutput answer(Job job) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return job.answer().get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void dispatch() {
        Job carried = null;
        ByteBuffer batchBuffer = null;
        while (running) {
            List<Job> batch = new ArrayList<>(maxBatch);
            try {
                Job first = carried != null ? carried : queue.poll(200, TimeUnit.MILLISECONDS);
                carried = null;
                if (first == null) {
                    continue;
                }
                batch.add(first);
                if (maxBatch > 1 && first.images() == 1 && first.model().batchable()) {
                    long deadline = System.nanoTime() + maxDelayNanos;
                    while (batch.size() < maxBatch) {
                        long left = deadline - System.nanoTime();
                        Job next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                        if (next == null) {
                            break;
                        }
                        if (next.model() != first.model() || next.images() != 1) {
                            carried = next; // a different model (a swap) or a pre-batched tensor: its own call
                            break;
                        }
                        batch.add(next);
                    }
                }
                batch = withoutExpired(batch);
                if (!batch.isEmpty()) {
                    batchBuffer = run(batch, batchBuffer);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                batch.forEach(j -> fail(j, new IllegalStateException("the service is shutting down")));
                return;
            } catch (Throwable t) {
                LOG.error("Inference dispatcher failure; answering the batch with an error", t);
                batch.forEach(j -> fail(j, t));
            }
        }
        if (carried != null) {
            fail(carried, new IllegalStateException("the service is shutting down"));
        }
    }

    private List<Job> withoutExpired(List<Job> batch) {
        long now = System.nanoTime();
        List<Job> live = new ArrayList<>(batch.size());
        for (Job job : batch) {
            long waited = now - job.enqueued();
            queueWait.record(waited, TimeUnit.NANOSECONDS);
            if (waited > timeoutNanos) {
                rejectedTimeout.increment();
                fail(job, timeout(waited));
            } else {
                live.add(job);
            }
        }
        return live;
    }

    /** Runs one call; returns the (possibly grown) buffer this worker reuses to assemble batches. */
    private ByteBuffer run(List<Job> batch, ByteBuffer batchBuffer) throws OrtException {
        LoadedModel model = batch.get(0).model();
        batchSizes.record(batch.stream().mapToInt(Job::images).sum());
        if (batch.size() == 1) {
            Job job = batch.get(0);
            job.answer().complete(model.run(job.nchw(), job.images()));
            return batchBuffer;
        }
        int perImage = batch.get(0).nchw().capacity();
        int bytes = perImage * batch.size();
        if (batchBuffer == null || batchBuffer.capacity() < bytes) {
            batchBuffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer input = batchBuffer.slice(0, bytes).order(ByteOrder.nativeOrder());
        for (int i = 0; i < batch.size(); i++) {
            input.put(i * perImage, batch.get(i).nchw(), 0, perImage);
        }
        LoadedModel.RawOutput out = model.run(input, batch.size());
        for (int i = 0; i < batch.size(); i++) {
            FloatBuffer slice = out.image(i);
            float[] values = new float[slice.remaining()];
            slice.get(values);
            batch.get(i).answer().complete(new LoadedModel.RawOutput(values, 1, out.anchors()));
        }
        return batchBuffer;
    }

    private static void fail(Job job, Throwable cause) {
        job.answer().completeExceptionally(cause);
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        workers.forEach(Thread::interrupt);
        for (Job job; (job = queue.poll()) != null; ) {
            fail(job, new IllegalStateException("the service is shutting down"));
        }
    }
}
