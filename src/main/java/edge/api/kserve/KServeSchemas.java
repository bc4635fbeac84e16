package edge.api.kserve;

import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * Schema-only types of the OpenAPI document: the JSON that {@link KServeRestResource} reads and writes as trees and
 * maps ({@code inference_rest.md}'s {@code $inference_request}, {@code $inference_response}, model metadata). Never
 * instantiated; OpenApiDocumentTest checks real answers against them.
 */
final class KServeSchemas {

    private KServeSchemas() {
    }

    @Schema(name = "KServeLive")
    record Live(boolean live) {
    }

    @Schema(name = "KServeReady")
    record Ready(boolean ready) {
    }

    @Schema(name = "KServeModelReady")
    record ModelReady(String name, boolean ready) {
    }

    @Schema(name = "KServeTensorMetadata")
    record TensorMetadata(String name, @Schema(description = "FP32, INT32 or BYTES") String datatype,
                          @Schema(description = "-1 for a dimension of any size") List<Long> shape) {
    }

    @Schema(name = "KServeModelMetadata")
    record ModelMetadata(String name, List<String> versions, String platform, List<TensorMetadata> inputs,
                         List<TensorMetadata> outputs,
                         @Schema(description = "How to infer: the raw-tensor and the encoded-image inputs and outputs")
                         Map<String, String> parameters) {
    }

    @Schema(name = "KServeInferInput", requiredProperties = {"name", "datatype", "shape", "data"})
    record InferInput(@Schema(description = "images (raw tensor) or image (encoded image)") String name,
                      @Schema(description = "FP32 (raw tensor) or BYTES (encoded image)") String datatype,
                      List<Long> shape,
                      @Schema(type = SchemaType.ARRAY, description = "Flat or nested: numbers for FP32, base64 "
                              + "strings for BYTES") Object data) {
    }

    @Schema(name = "KServeRequestedOutput", requiredProperties = "name")
    record RequestedOutput(String name) {
    }

    @Schema(name = "KServeInferRequest", requiredProperties = "inputs")
    record InferRequest(String id,
                        @Schema(description = "conf, iou, max_det, classes (encoded image)")
                        Map<String, Object> parameters,
                        List<InferInput> inputs,
                        @Schema(description = "The outputs wanted; all of the mode when absent")
                        List<RequestedOutput> outputs) {
    }

    @Schema(name = "KServeInferOutput")
    record InferOutput(String name, @Schema(description = "FP32, INT32 or BYTES") String datatype, List<Long> shape,
                       @Schema(type = SchemaType.ARRAY, description = "Flat, row-major: numbers for FP32 and INT32, "
                               + "text for BYTES (labels)") Object data) {
    }

    @Schema(name = "KServeInferResponse")
    record InferResponse(String model_name, String model_version,
                         @Schema(description = "The request's id, when it had one") String id,
                         List<InferOutput> outputs) {
    }
}
