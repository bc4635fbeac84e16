package edge.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The floor for the start-up benchmark (src/bench/scripts/start-time.sh): a fresh JVM that loads the model into ONNX
 * Runtime with the service's session settings and runs one inference on a grey tensor, nothing else (no Quarkus, no
 * OpenCV, no HTTP). The script times the whole process from launch to exit; this prints its own split as well.
 *
 * <pre>java -cp target/test-classes:target/quarkus-app/lib/main/com.microsoft.onnxruntime.onnxruntime-*.jar \
 *     edge.bench.ModelColdStart MODEL.onnx [INTRA_OP_THREADS]</pre>
 */
public final class ModelColdStart {

    private ModelColdStart() {
    }

    public static void main(String[] args) throws Exception {
        long start = System.nanoTime();
        Path model = Path.of(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.setIntraOpNumThreads(threads);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            try (OrtSession session = env.createSession(Files.readAllBytes(model), options)) {
                long loaded = System.nanoTime();
                String input = session.getInputNames().iterator().next();
                long[] shape = ((TensorInfo) session.getInputInfo().get(input).getInfo()).getShape().clone();
                shape[0] = 1; // a symbolic batch is -1
                int floats = (int) (shape[1] * shape[2] * shape[3]);
                ByteBuffer grey = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
                for (int i = 0; i < floats; i++) {
                    grey.putFloat(i * Float.BYTES, 114f / 255f);
                }
                try (OnnxTensor tensor = OnnxTensor.createTensor(env, grey.asFloatBuffer(), shape);
                     OrtSession.Result result = session.run(Map.of(input, tensor))) {
                    long done = System.nanoTime();
                    System.out.printf("model cold start: load %d ms, first inference %d ms (output %s)%n",
                            (loaded - start) / 1_000_000, (done - loaded) / 1_000_000,
                            result.get(0).getInfo());
                }
            }
        }
    }
}
