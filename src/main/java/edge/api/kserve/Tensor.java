package edge.api.kserve;

import java.util.Arrays;

/**
 * One named tensor of a KServe call, independent of REST or gRPC: its data is a {@code float[]} (FP32),
 * an {@code int[]} (INT32) or a {@code byte[][]} (BYTES), flat and row-major.
 */
public record Tensor(String name, String datatype, long[] shape, Object data) {

    public static final String FP32 = "FP32";
    public static final String INT32 = "INT32";
    public static final String BYTES = "BYTES";

    public static Tensor fp32(String name, long[] shape, float[] data) {
        return new Tensor(name, FP32, shape, data);
    }

    public static Tensor int32(String name, long[] shape, int[] data) {
        return new Tensor(name, INT32, shape, data);
    }

    public static Tensor bytes(String name, long[] shape, byte[][] data) {
        return new Tensor(name, BYTES, shape, data);
    }

    public long elements() {
        return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    @Override
    public String toString() {
        return name + ":" + datatype + Arrays.toString(shape);
    }
}
