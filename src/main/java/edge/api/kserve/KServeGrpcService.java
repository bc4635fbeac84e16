package edge.api.kserve;

import com.google.protobuf.ByteString;
import edge.api.grpc.GrpcErrors;
import edge.api.kserve.KServeInference.InferAnswer;
import edge.api.kserve.KServeInference.InferCall;
import edge.api.kserve.KServeInference.ModelMetadata;
import edge.api.kserve.grpc.GRPCInferenceServiceGrpc;
import edge.api.kserve.grpc.InferParameter;
import edge.api.kserve.grpc.InferTensorContents;
import edge.api.kserve.grpc.ModelInferRequest;
import edge.api.kserve.grpc.ModelInferResponse;
import edge.api.kserve.grpc.ModelMetadataRequest;
import edge.api.kserve.grpc.ModelMetadataResponse;
import edge.api.kserve.grpc.ModelReadyRequest;
import edge.api.kserve.grpc.ModelReadyResponse;
import edge.api.kserve.grpc.ServerLiveRequest;
import edge.api.kserve.grpc.ServerLiveResponse;
import edge.api.kserve.grpc.ServerMetadataRequest;
import edge.api.kserve.grpc.ServerMetadataResponse;
import edge.api.kserve.grpc.ServerReadyRequest;
import edge.api.kserve.grpc.ServerReadyResponse;
import edge.detect.InvalidRequest;
import io.grpc.stub.StreamObserver;
import io.quarkus.grpc.GrpcService;
import io.smallrye.common.annotation.Blocking;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code inference.GRPCInferenceService}: the KServe v2 gRPC API. Answers in the form the request used: raw
 * ({@code raw_input_contents} in, {@code raw_output_contents} out, as Triton clients send and expect) or typed
 * ({@code contents} in and out).
 */
@GrpcService
@Blocking
public class KServeGrpcService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {

    private final KServeInference kserve;

    public KServeGrpcService(KServeInference kserve) {
        this.kserve = kserve;
    }

    @Override
    public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> responses) {
        GrpcErrors.answer(responses, () -> ServerLiveResponse.newBuilder().setLive(true).build());
    }

    @Override
    public void serverReady(ServerReadyRequest request, StreamObserver<ServerReadyResponse> responses) {
        GrpcErrors.answer(responses, () -> ServerReadyResponse.newBuilder().setReady(kserve.serverReady()).build());
    }

    @Override
    public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> responses) {
        GrpcErrors.answer(responses, () -> ModelReadyResponse.newBuilder()
                .setReady(kserve.modelReady(request.getName(), request.getVersion())).build());
    }

    @Override
    public void serverMetadata(ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> responses) {
        GrpcErrors.answer(responses, () -> {
            KServeInference.ServerMetadata m = kserve.serverMetadata();
            return ServerMetadataResponse.newBuilder().setName(m.name()).setVersion(m.version())
                    .addAllExtensions(m.extensions()).build();
        });
    }

    @Override
    public void modelMetadata(ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> responses) {
        GrpcErrors.answer(responses, () -> {
            ModelMetadata m = kserve.modelMetadata(request.getName(), request.getVersion());
            ModelMetadataResponse.Builder b = ModelMetadataResponse.newBuilder().setName(m.name())
                    .addAllVersions(m.versions()).setPlatform(m.platform()).putAllProperties(m.properties());
            m.inputs().forEach(t -> b.addInputs(tensorMetadata(t)));
            m.outputs().forEach(t -> b.addOutputs(tensorMetadata(t)));
            return b.build();
        });
    }

    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> responses) {
        GrpcErrors.answer(responses, () -> {
            boolean raw = request.getRawInputContentsCount() > 0;
            InferAnswer answer = kserve.infer(call(request, raw));
            return response(answer, raw);
        });
    }

    private static ModelMetadataResponse.TensorMetadata tensorMetadata(Tensor t) {
        ModelMetadataResponse.TensorMetadata.Builder b = ModelMetadataResponse.TensorMetadata.newBuilder()
                .setName(t.name()).setDatatype(t.datatype());
        for (long d : t.shape()) {
            b.addShape(d);
        }
        return b.build();
    }

    static InferCall call(ModelInferRequest request, boolean raw) {
        if (raw && request.getRawInputContentsCount() != request.getInputsCount()) {
            throw new InvalidRequest("raw_input_contents has " + request.getRawInputContentsCount()
                    + " entries for " + request.getInputsCount() + " inputs");
        }
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < request.getInputsCount(); i++) {
            ModelInferRequest.InferInputTensor in = request.getInputs(i);
            long[] shape = in.getShapeList().stream().mapToLong(Long::longValue).toArray();
            Object data = switch (in.getDatatype()) {
                case Tensor.FP32 -> raw ? floats(request.getRawInputContents(i), in.getName())
                        : toFloats(in.getContents().getFp32ContentsList());
                case Tensor.BYTES -> raw ? byteElements(request.getRawInputContents(i), in.getName())
                        : in.getContents().getBytesContentsList().stream().map(ByteString::toByteArray)
                        .toArray(byte[][]::new);
                default -> throw new InvalidRequest("input '" + in.getName() + "' has datatype " + in.getDatatype()
                        + "; this model takes FP32 (raw tensor) or BYTES (encoded image)");
            };
            inputs.add(new Tensor(in.getName(), in.getDatatype(), shape, data));
        }
        List<String> outputs = request.getOutputsList().stream()
                .map(ModelInferRequest.InferRequestedOutputTensor::getName).toList();
        return new InferCall(request.getModelName(), request.getModelVersion(), request.getId(),
                parameters(request.getParametersMap()), inputs, outputs);
    }

    private static ModelInferResponse response(InferAnswer answer, boolean raw) {
        ModelInferResponse.Builder b = ModelInferResponse.newBuilder()
                .setModelName(answer.modelName()).setModelVersion(answer.modelVersion()).setId(answer.id());
        for (Tensor t : answer.outputs()) {
            ModelInferResponse.InferOutputTensor.Builder out = ModelInferResponse.InferOutputTensor.newBuilder()
                    .setName(t.name()).setDatatype(t.datatype());
            Arrays.stream(t.shape()).forEach(out::addShape);
            if (raw) {
                b.addRawOutputContents(rawBytes(t));
            } else {
                out.setContents(contents(t));
            }
            b.addOutputs(out);
        }
        return b.build();
    }

    private static InferTensorContents contents(Tensor t) {
        InferTensorContents.Builder c = InferTensorContents.newBuilder();
        if (t.data() instanceof float[] f) {
            for (float v : f) {
                c.addFp32Contents(v);
            }
        } else if (t.data() instanceof int[] ints) {
            for (int v : ints) {
                c.addIntContents(v);
            }
        } else if (t.data() instanceof byte[][] elements) {
            for (byte[] e : elements) {
                c.addBytesContents(ByteString.copyFrom(e));
            }
        }
        return c.build();
    }

    /** Little-endian, row-major; BYTES elements each behind a 4-byte little-endian length (Triton's layout). */
    static ByteString rawBytes(Tensor t) {
        ByteBuffer buffer;
        if (t.data() instanceof float[] f) {
            buffer = ByteBuffer.allocate(f.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asFloatBuffer().put(f);
        } else if (t.data() instanceof int[] ints) {
            buffer = ByteBuffer.allocate(ints.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
            buffer.asIntBuffer().put(ints);
        } else {
            byte[][] elements = (byte[][]) t.data();
            int size = Arrays.stream(elements).mapToInt(e -> Integer.BYTES + e.length).sum();
            buffer = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
            for (byte[] e : elements) {
                buffer.putInt(e.length).put(e);
            }
            buffer.flip();
        }
        return ByteString.copyFrom(buffer);
    }

    private static float[] floats(ByteString raw, String name) {
        if (raw.size() % Float.BYTES != 0) {
            throw new InvalidRequest("raw contents of FP32 input '" + name + "' are " + raw.size()
                    + " bytes, not a whole number of floats");
        }
        float[] values = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        return values;
    }

    private static float[] toFloats(List<Float> list) {
        float[] values = new float[list.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = list.get(i);
        }
        return values;
    }

    private static byte[][] byteElements(ByteString raw, String name) {
        ByteBuffer buffer = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> elements = new ArrayList<>();
        while (buffer.remaining() > 0) {
            if (buffer.remaining() < Integer.BYTES) {
                throw new InvalidRequest("raw contents of BYTES input '" + name + "' end inside a length prefix");
            }
            int length = buffer.getInt();
            if (length < 0 || length > buffer.remaining()) {
                throw new InvalidRequest("raw contents of BYTES input '" + name + "' announce " + length
                        + " bytes but hold " + buffer.remaining());
            }
            byte[] element = new byte[length];
            buffer.get(element);
            elements.add(element);
        }
        return elements.toArray(byte[][]::new);
    }

    private static Map<String, Object> parameters(Map<String, InferParameter> grpc) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        grpc.forEach((name, p) -> parameters.put(name, switch (p.getParameterChoiceCase()) {
            case BOOL_PARAM -> p.getBoolParam();
            case INT64_PARAM -> (double) p.getInt64Param();
            case DOUBLE_PARAM -> p.getDoubleParam();
            case UINT64_PARAM -> (double) p.getUint64Param();
            case STRING_PARAM -> p.getStringParam();
            case PARAMETERCHOICE_NOT_SET -> "";
        }));
        return parameters;
    }
}
