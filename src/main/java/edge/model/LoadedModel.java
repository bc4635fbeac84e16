package edge.model;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;

import java.nio.ByteBuffer;
import java.nio.FloatBuffer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An ONNX Runtime session with the contract read from it. Reference-counted: the current-model handle holds one
 * reference, every request in flight holds another ({@link Lease}), and the native session is closed only when the
 * last one is released, so a swap never pulls a session from under a running inference.
 */
public final class LoadedModel {

    private final OrtEnvironment env;
    private final OrtSession session;
    private final ModelContract contract;
    private final ModelInfo info;
    private final boolean batchable;
    private final AtomicInteger references = new AtomicInteger(1);

    LoadedModel(OrtEnvironment env, OrtSession session, ModelContract contract, ModelInfo info, boolean batchable) {
        this.env = env;
        this.session = session;
        this.contract = contract;
        this.info = info;
        this.batchable = batchable;
    }

    /**
     * Whether several images may share one call: the batch is dynamic and the results of one image do not depend
     * on the others (no per-tensor dynamic quantization of activations).
     */
    public boolean batchable() {
        return batchable;
    }

    public ModelContract contract() {
        return contract;
    }

    public ModelInfo info() {
        return info;
    }

    /** The raw output of one run: {@code batch x (4 + nc) x anchors} floats. */
    public record RawOutput(float[] values, int batch, int anchors) {

        /** The slice of one image of the batch. */
        public FloatBuffer image(int index) {
            int perImage = values.length / batch;
            return FloatBuffer.wrap(values, index * perImage, perImage).slice();
        }
    }

    /**
     * Runs the model on {@code batch} images laid out NCHW in a direct, native-order buffer.
     */
    public RawOutput run(ByteBuffer nchw, int batch) throws OrtException {
        long[] shape = {batch, 3, contract.inputHeight(), contract.inputWidth()};
        try (OnnxTensor input = OnnxTensor.createTensor(env, nchw.asFloatBuffer(), shape);
             OrtSession.Result result = session.run(Map.of(contract.inputName(), input))) {
            OnnxTensor output = (OnnxTensor) result.get(0);
            long[] outShape = output.getInfo().getShape();
            if (outShape.length != 3 || outShape[0] != batch || outShape[1] != contract.channels()) {
                throw new IllegalStateException("the model answered shape " + java.util.Arrays.toString(outShape)
                        + ", expected [" + batch + ", " + contract.channels() + ", N]");
            }
            // ONNX Runtime hands out a fresh heap copy: keep its array rather than copying it again.
            FloatBuffer values = output.getFloatBuffer();
            float[] array = values.hasArray() && values.arrayOffset() == 0 && values.array().length == values.remaining()
                    ? values.array() : copy(values);
            return new RawOutput(array, batch, (int) outShape[2]);
        }
    }

    private static float[] copy(FloatBuffer values) {
        float[] copy = new float[values.remaining()];
        values.get(copy);
        return copy;
    }

    /** Takes a reference for one request, unless the model has already been closed. */
    Lease tryLease() {
        int n;
        do {
            n = references.get();
            if (n == 0) {
                return null;
            }
        } while (!references.compareAndSet(n, n + 1));
        return new Lease(this);
    }

    /** Gives up the handle's own reference: the session closes once the requests in flight are done. */
    public void retire() {
        release();
    }

    private void release() {
        if (references.decrementAndGet() == 0) {
            try {
                session.close();
            } catch (OrtException e) {
                throw new IllegalStateException("closing the session of " + info.name() + " failed", e);
            }
        }
    }

    /** One request's hold on a model; close it when the request is done with the model. */
    public static final class Lease implements AutoCloseable {
        private final LoadedModel model;
        private boolean closed;

        private Lease(LoadedModel model) {
            this.model = model;
        }

        public LoadedModel model() {
            return model;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                model.release();
            }
        }
    }
}
