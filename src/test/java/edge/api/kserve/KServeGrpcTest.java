package edge.api.kserve;

import com.google.protobuf.ByteString;
import edge.api.kserve.grpc.GRPCInferenceServiceGrpc;
import edge.api.kserve.grpc.InferParameter;
import edge.api.kserve.grpc.InferTensorContents;
import edge.api.kserve.grpc.ModelInferRequest;
import edge.api.kserve.grpc.ModelInferResponse;
import edge.api.kserve.grpc.ModelMetadataRequest;
import edge.api.kserve.grpc.ModelMetadataResponse;
import edge.api.kserve.grpc.ModelReadyRequest;
import edge.api.kserve.grpc.ServerLiveRequest;
import edge.api.kserve.grpc.ServerMetadataRequest;
import edge.api.kserve.grpc.ServerReadyRequest;
import edge.testing.Fixtures;
import edge.testing.Grpc;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** KServe v2 gRPC ({@code inference.GRPCInferenceService}) with generated stubs over the service's port. */
@QuarkusTest
class KServeGrpcTest {

    static final String MODEL = "yolov8n-int8-dynamic";

    @TestHTTPResource("/")
    URL base;

    private ManagedChannel channel;
    private GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub;

    @BeforeEach
    void connect() {
        channel = Grpc.channel(base);
        stub = GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void healthAndMetadata() {
        assertTrue(stub.serverLive(ServerLiveRequest.getDefaultInstance()).getLive());
        assertTrue(stub.serverReady(ServerReadyRequest.getDefaultInstance()).getReady());
        assertTrue(stub.modelReady(ModelReadyRequest.newBuilder().setName(MODEL).build()).getReady());
        assertEquals("edge-detector", stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()).getName());
        ModelMetadataResponse m = stub.modelMetadata(ModelMetadataRequest.newBuilder().setName(MODEL).build());
        assertEquals(MODEL, m.getName());
        assertEquals(List.of("8.4.115"), m.getVersionsList());
        assertEquals("onnxruntime_onnx", m.getPlatform());
        assertEquals("images", m.getInputs(0).getName());
        assertEquals(List.of(1L, 3L, 640L, 640L), m.getInputs(0).getShapeList());
        assertEquals("image", m.getInputs(1).getName());
        assertEquals(List.of(1L, 84L, 8400L), m.getOutputs(0).getShapeList());
        assertTrue(m.getPropertiesMap().get("mode.encoded_image").contains("'boxes' FP32 [N,4]"));
        assertTrue(m.getPropertiesMap().get("class_names").startsWith("person,bicycle,car"));
    }

    @Test
    void rawTensorOutputEqualsADirectOnnxRuntimeRun() throws Exception {
        DirectRun direct = DirectRun.of("bus.jpg");
        ByteBuffer raw = ByteBuffer.allocate(direct.input().length * 4).order(ByteOrder.LITTLE_ENDIAN);
        raw.asFloatBuffer().put(direct.input());
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL).setId("raw-1")
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("images").setDatatype("FP32")
                        .addAllShape(List.of(1L, 3L, 640L, 640L)))
                .addRawInputContents(ByteString.copyFrom(raw.array()))
                .build());
        assertEquals("raw-1", r.getId());
        assertEquals("output0", r.getOutputs(0).getName());
        assertEquals(List.of(1L, 84L, 8400L), r.getOutputs(0).getShapeList());
        FloatBuffer out = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        direct.assertClose(out);

        // The same with typed contents in and out.
        InferTensorContents.Builder typed = InferTensorContents.newBuilder();
        for (float v : direct.input()) {
            typed.addFp32Contents(v);
        }
        ModelInferResponse t = stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("images").setDatatype("FP32")
                        .addAllShape(List.of(1L, 3L, 640L, 640L)).setContents(typed))
                .build());
        List<Float> values = t.getOutputs(0).getContents().getFp32ContentsList();
        FloatBuffer typedOut = FloatBuffer.allocate(values.size());
        values.forEach(typedOut::put);
        typedOut.flip();
        direct.assertClose(typedOut);
    }

    @Test
    void encodedImageOutputEqualsDetect() {
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                .putParameters("conf", InferParameter.newBuilder().setDoubleParam(0.1).build())
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("image").setDatatype("BYTES")
                        .addShape(1).setContents(InferTensorContents.newBuilder()
                                .addBytesContents(ByteString.copyFrom(Fixtures.imageBytes("bus.jpg")))))
                .build());
        Response rest = given().contentType("image/jpeg").body(Fixtures.imageBytes("bus.jpg")).queryParam("conf", 0.1)
                .post("/detect");
        List<Map<String, Object>> expected = rest.jsonPath().getList("detections");
        int n = expected.size();
        // bus.jpg at conf 0.1: at least its 4 people and the bus. An empty answer on both sides would compare nothing.
        assertTrue(n >= 5, "detections of /detect: " + expected);
        assertEquals(List.of("boxes", "scores", "class_ids", "labels"),
                r.getOutputsList().stream().map(ModelInferResponse.InferOutputTensor::getName).toList());
        assertEquals(List.of((long) n, 4L), r.getOutputs(0).getShapeList());
        InferTensorContents boxes = r.getOutputs(0).getContents();
        assertEquals(4 * n, boxes.getFp32ContentsCount());
        assertEquals(n, r.getOutputs(1).getContents().getFp32ContentsCount());
        assertEquals(n, r.getOutputs(2).getContents().getIntContentsCount());
        assertEquals(n, r.getOutputs(3).getContents().getBytesContentsCount());
        for (int i = 0; i < n; i++) {
            Map<String, Object> d = expected.get(i);
            Map<String, Number> box = (Map<String, Number>) d.get("box");
            assertEquals(box.get("x1").floatValue(), boxes.getFp32Contents(4 * i));
            assertEquals(box.get("y1").floatValue(), boxes.getFp32Contents(4 * i + 1));
            assertEquals(box.get("x2").floatValue(), boxes.getFp32Contents(4 * i + 2));
            assertEquals(box.get("y2").floatValue(), boxes.getFp32Contents(4 * i + 3));
            assertEquals(((Number) d.get("confidence")).floatValue(), r.getOutputs(1).getContents().getFp32Contents(i));
            assertEquals(((Number) d.get("classId")).intValue(), r.getOutputs(2).getContents().getIntContents(i));
            assertEquals(d.get("label"), r.getOutputs(3).getContents().getBytesContents(i).toStringUtf8());
        }
    }

    @Test
    void rawBytesInputAndOutputFollowTritonsLayout() {
        byte[] jpeg = Fixtures.imageBytes("zidane.jpg");
        ByteBuffer element = ByteBuffer.allocate(4 + jpeg.length).order(ByteOrder.LITTLE_ENDIAN).putInt(jpeg.length).put(jpeg);
        ModelInferResponse r = stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("image").setDatatype("BYTES").addShape(1))
                .addRawInputContents(ByteString.copyFrom(element.array()))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("class_ids"))
                .addOutputs(ModelInferRequest.InferRequestedOutputTensor.newBuilder().setName("labels"))
                .build());
        assertEquals(2, r.getOutputsCount());
        IntBuffer ids = r.getRawOutputContents(0).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer();
        assertEquals(3, ids.remaining());
        ByteBuffer labels = r.getRawOutputContents(1).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        int ties = 0;
        for (int i = 0; i < 3; i++) {
            byte[] label = new byte[labels.getInt()];
            labels.get(label);
            ties += new String(label, StandardCharsets.UTF_8).equals("tie") ? 1 : 0;
        }
        assertEquals(1, ties);
    }

    @Test
    void errorsHaveTheirStatus() {
        Grpc.assertStatus(Status.Code.NOT_FOUND, "not served here",
                () -> stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("resnet").build()));
        Grpc.assertStatus(Status.Code.NOT_FOUND, "no version '7'",
                () -> stub.modelReady(ModelReadyRequest.newBuilder().setName(MODEL).setVersion("7").build()));
        Grpc.assertStatus(Status.Code.NOT_FOUND, "not served here",
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName("resnet").build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "must have shape [1, 3, 640, 640]",
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("images").setDatatype("FP32")
                                .addAllShape(List.of(1L, 3L, 2L, 2L)).setContents(InferTensorContents.newBuilder()
                                        .addAllFp32Contents(java.util.Collections.nCopies(12, 0.5f))))
                        .build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "datatype INT64",
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("images").setDatatype("INT64")
                                .addShape(1))
                        .build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "unknown input 'pixels'",
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("pixels").setDatatype("FP32")
                                .addShape(1).setContents(InferTensorContents.newBuilder().addFp32Contents(1f)))
                        .build()));
        Grpc.assertStatus(Status.Code.INVALID_ARGUMENT, "not an image",
                () -> stub.modelInfer(ModelInferRequest.newBuilder().setModelName(MODEL)
                        .addInputs(ModelInferRequest.InferInputTensor.newBuilder().setName("image").setDatatype("BYTES")
                                .addShape(1).setContents(InferTensorContents.newBuilder()
                                        .addBytesContents(ByteString.copyFromUtf8("no picture here"))))
                        .build()));
    }
}
