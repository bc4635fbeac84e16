package edge.testing;

import com.google.protobuf.ByteString;
import edge.model.onnx.GraphProto;
import edge.model.onnx.ModelProto;
import edge.model.onnx.NodeProto;
import edge.model.onnx.TensorProto;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Changes to real models, made at test time: models that load fine but answer wrongly. */
public final class ModelEdits {

    private ModelEdits() {
    }

    /**
     * A copy of a YOLO model whose class scores are multiplied by {@code factor} (boxes untouched): with a small
     * factor it finds nothing, the kind of broken export a canary must catch.
     */
    public static Path scaleScores(Path source, Path target, float factor) {
        try {
            ModelProto model = ModelProto.parseFrom(Files.readAllBytes(source));
            GraphProto graph = model.getGraph();
            String output = graph.getOutput(0).getName();
            int channels = (int) graph.getOutput(0).getType().getTensorType().getShape().getDim(1).getDimValue();
            String raw = output + "_unscaled";
            GraphProto.Builder edited = graph.toBuilder();
            for (int i = 0; i < edited.getNodeCount(); i++) {
                NodeProto node = edited.getNode(i);
                for (int o = 0; o < node.getOutputCount(); o++) {
                    if (node.getOutput(o).equals(output)) {
                        edited.setNode(i, node.toBuilder().setOutput(o, raw));
                    }
                }
            }
            ByteBuffer scale = ByteBuffer.allocate(channels * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (int c = 0; c < channels; c++) {
                scale.putFloat(c < 4 ? 1f : factor);
            }
            edited.addInitializer(TensorProto.newBuilder().setName("score_scale").setDataType(1)
                    .addDims(1).addDims(channels).addDims(1).setRawData(ByteString.copyFrom(scale.array())));
            edited.addNode(NodeProto.newBuilder().setOpType("Mul").setName("scale_scores")
                    .addInput(raw).addInput("score_scale").addOutput(output));
            Files.write(target, model.toBuilder().setGraph(edited).build().toByteArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
