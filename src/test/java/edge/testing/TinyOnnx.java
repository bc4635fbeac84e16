package edge.testing;

import com.google.protobuf.CodedOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Writes small, valid ONNX models with one node, so tests can feed the loader models of any layout without
 * shipping weights. Field numbers are those of the ONNX format (ModelProto, GraphProto, NodeProto, ...).
 */
public final class TinyOnnx {

    private static final int FLOAT = 1;
    private static final int INT64 = 7;

    private TinyOnnx() {
    }

    /** {@code output = Identity(input)}: a valid model that is not a detector. */
    public static Path identity(Path dir, long... shape) {
        byte[] graph = concat(
                field(1, node("Identity", new String[] {"input"}, "output")),
                string(2, "identity"),
                field(11, valueInfo("input", FLOAT, shape)),
                field(12, valueInfo("output", FLOAT, shape)));
        return write(dir.resolve("identity.onnx"), model(graph, Map.of()));
    }

    /**
     * {@code output0 = Reshape(images, [1, 4 + nc, N])}: a model with the YOLO layout whose "scores" are pixels,
     * with the class names given as the exporter writes them.
     */
    public static Path reshapeDetector(Path dir, int side, int channels, String namesMetadata) {
        long pixels = 3L * side * side;
        if (pixels % channels != 0) {
            throw new IllegalArgumentException(pixels + " input values do not split into " + channels + " rows");
        }
        long anchors = pixels / channels;
        // TensorProto: dims [3], data_type INT64, int64_data [1, channels, anchors], name.
        byte[] shapeTensor = concat(
                int64(1, 3), int64(2, INT64), int64(7, 1), int64(7, channels), int64(7, anchors), string(8, "shape"));
        byte[] graph = concat(
                field(1, node("Reshape", new String[] {"images", "shape"}, "output0")),
                string(2, "reshape"),
                field(5, shapeTensor),
                field(11, valueInfo("images", FLOAT, 1, 3, side, side)),
                field(12, valueInfo("output0", FLOAT, 1, channels, anchors)));
        return write(dir.resolve("reshape-" + (channels - 4) + "-classes.onnx"), model(graph,
                namesMetadata == null ? Map.of() : Map.of("names", namesMetadata, "imgsz", "[" + side + ", " + side + "]")));
    }

    private static byte[] model(byte[] graph, Map<String, String> metadata) {
        byte[] opset = concat(string(1, ""), int64(2, 13));
        byte[] body = concat(int64(1, 8), string(2, "edge-tests"), field(7, graph), field(8, opset));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            body = concat(body, field(14, concat(string(1, e.getKey()), string(2, e.getValue()))));
        }
        return body;
    }

    private static byte[] node(String op, String[] inputs, String output) {
        byte[] node = new byte[0];
        for (String input : inputs) {
            node = concat(node, string(1, input));
        }
        return concat(node, string(2, output), string(3, op.toLowerCase()), string(4, op));
    }

    private static byte[] valueInfo(String name, int elemType, long... shape) {
        byte[] dims = new byte[0];
        for (long d : shape) {
            dims = concat(dims, field(1, int64(1, d)));
        }
        byte[] tensorType = concat(int64(1, elemType), field(2, dims));
        return concat(string(1, name), field(2, field(1, tensorType)));
    }

    private static byte[] int64(int number, long value) {
        return encode(out -> out.writeInt64(number, value));
    }

    private static byte[] string(int number, String value) {
        return encode(out -> out.writeString(number, value));
    }

    private static byte[] field(int number, byte[] message) {
        return encode(out -> out.writeByteArray(number, message));
    }

    private interface Writer {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] encode(Writer writer) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            writer.write(out);
            out.flush();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Path write(Path file, byte[] bytes) {
        try {
            return Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
