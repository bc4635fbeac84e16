package edge.model;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import edge.model.onnx.AttributeProto;
import edge.model.onnx.GraphProto;
import edge.model.onnx.ModelProto;
import edge.model.onnx.NodeProto;
import edge.model.onnx.TensorProto;
import edge.model.onnx.TensorShapeProto;
import edge.model.onnx.ValueInfoProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rewrites a YOLO ONNX export with a fixed batch of 1 into one with a symbolic batch dimension, so that several
 * images run in one ONNX Runtime call: the graph input and output get the dimension {@code batch}, every Reshape
 * whose constant target shape starts with 1 copies the batch from its input instead ({@code 0}), and the exporter's
 * intermediate shape annotations (which say 1) are dropped for ONNX Runtime to infer again.
 *
 * <p>Models that quantize activations dynamically ({@code DynamicQuantizeLinear}) compute one scale per tensor:
 * batched, that scale is shared by all images of the batch, so their results differ slightly from single runs.
 * {@link Result#batchChangesResults()} says so; the service does not batch such models.
 */
public final class BatchRewrite {

    public static final String BATCH_DIM = "batch";
    private static final int INT64 = 7;

    private BatchRewrite() {
    }

    /**
     * @param reshapes the Reshape nodes whose target shape now copies the batch
     * @param batchChangesResults whether the model quantizes activations with a per-tensor dynamic scale
     */
    public record Result(byte[] model, int reshapes, boolean batchChangesResults) {
    }

    public static Result rewrite(byte[] onnx) throws ModelRejected {
        ModelProto model;
        try {
            model = ModelProto.parseFrom(onnx);
        } catch (InvalidProtocolBufferException e) {
            throw new ModelRejected("not an ONNX model: " + e.getMessage(), e);
        }
        if (!model.hasGraph()) {
            throw new ModelRejected("the ONNX file has no graph", null);
        }
        GraphProto graph = model.getGraph();
        Set<String> initializers = new HashSet<>();
        graph.getInitializerList().forEach(t -> initializers.add(t.getName()));

        GraphProto.Builder g = graph.toBuilder().clearValueInfo();
        for (int i = 0; i < g.getInputCount(); i++) {
            if (!initializers.contains(g.getInput(i).getName())) {
                g.setInput(i, withSymbolicBatch(g.getInput(i)));
            }
        }
        for (int i = 0; i < g.getOutputCount(); i++) {
            g.setOutput(i, withSymbolicBatch(g.getOutput(i)));
        }

        // Values known before any image arrives: a Reshape of one of those (a bias shaped [1, C, 1, 1] for a
        // broadcast) has nothing to do with the batch and keeps its target shape.
        Set<String> constants = new HashSet<>(initializers);
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Constant")) {
                constants.addAll(node.getOutputList());
            }
        }
        Set<String> reshapeShapes = new HashSet<>();
        Set<String> constantReshapeShapes = new HashSet<>();
        boolean dynamicQuantization = false;
        for (NodeProto node : graph.getNodeList()) {
            if (node.getOpType().equals("Reshape") && node.getInputCount() == 2) {
                (constants.contains(node.getInput(0)) ? constantReshapeShapes : reshapeShapes).add(node.getInput(1));
            }
            dynamicQuantization |= node.getOpType().equals("DynamicQuantizeLinear");
        }
        reshapeShapes.removeAll(constantReshapeShapes);
        int changed = 0;
        for (int i = 0; i < g.getInitializerCount(); i++) {
            TensorProto t = g.getInitializer(i);
            if (reshapeShapes.contains(t.getName())) {
                TensorProto batched = copyBatch(t);
                if (batched != t) {
                    g.setInitializer(i, batched);
                    changed++;
                }
            }
        }
        Map<String, Integer> constantNodes = new HashMap<>();
        for (int n = 0; n < g.getNodeCount(); n++) {
            NodeProto node = g.getNode(n);
            if (node.getOpType().equals("Constant") && node.getOutputCount() == 1
                    && reshapeShapes.contains(node.getOutput(0))) {
                constantNodes.put(node.getOutput(0), n);
            }
        }
        for (int n : constantNodes.values()) {
            NodeProto.Builder node = g.getNode(n).toBuilder();
            for (int a = 0; a < node.getAttributeCount(); a++) {
                AttributeProto attribute = node.getAttribute(a);
                if (attribute.getName().equals("value") && attribute.hasT()) {
                    TensorProto batched = copyBatch(attribute.getT());
                    if (batched != attribute.getT()) {
                        node.setAttribute(a, attribute.toBuilder().setT(batched));
                        changed++;
                    }
                }
            }
            g.setNode(n, node);
        }
        byte[] rewritten = model.toBuilder().setGraph(g).build().toByteArray();
        return new Result(rewritten, changed, dynamicQuantization);
    }

    private static ValueInfoProto withSymbolicBatch(ValueInfoProto value) {
        if (!value.getType().hasTensorType() || value.getType().getTensorType().getShape().getDimCount() == 0) {
            return value;
        }
        ValueInfoProto.Builder b = value.toBuilder();
        b.getTypeBuilder().getTensorTypeBuilder().getShapeBuilder()
                .setDim(0, TensorShapeProto.Dimension.newBuilder().setDimParam(BATCH_DIM));
        return b.build();
    }

    /** A Reshape target {@code [1, ...]} becomes {@code [0, ...]}: "copy dimension 0 of the input". */
    static TensorProto copyBatch(TensorProto shape) {
        if (shape.getDataType() != INT64 || shape.getDimsCount() != 1) {
            return shape;
        }
        long[] values = int64Values(shape);
        if (values.length == 0 || values[0] != 1) {
            return shape;
        }
        values[0] = 0;
        TensorProto.Builder b = shape.toBuilder();
        if (shape.hasRawData()) {
            ByteBuffer raw = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            for (long v : values) {
                raw.putLong(v);
            }
            b.setRawData(ByteString.copyFrom(raw.array()));
        } else {
            b.clearInt64Data();
            for (long v : values) {
                b.addInt64Data(v);
            }
        }
        return b.build();
    }

    static long[] int64Values(TensorProto t) {
        if (t.hasRawData()) {
            ByteBuffer raw = t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
            long[] values = new long[raw.remaining() / Long.BYTES];
            for (int i = 0; i < values.length; i++) {
                values[i] = raw.getLong();
            }
            return values;
        }
        List<Long> list = new ArrayList<>(t.getInt64DataList());
        return list.stream().mapToLong(Long::longValue).toArray();
    }
}
