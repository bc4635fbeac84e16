package edge.api.kserve;

import com.fasterxml.jackson.databind.JsonNode;
import edge.api.ApiDoc;
import edge.api.kserve.KServeInference.InferAnswer;
import edge.api.kserve.KServeInference.InferCall;
import edge.api.kserve.KServeInference.ModelMetadata;
import edge.api.kserve.KServeInference.ServerMetadata;
import edge.detect.InvalidRequest;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The KServe v2 / Open Inference Protocol over HTTP/REST ({@code inference_rest.md}). */
@Path("/v2")
@Produces(MediaType.APPLICATION_JSON)
@Blocking
@Tag(name = "KServe v2")
@SecurityRequirement(name = ApiDoc.API_KEY)
@SecurityRequirement(name = ApiDoc.BEARER)
@APIResponse(responseCode = "401", ref = ApiDoc.UNAUTHORIZED)
public class KServeRestResource {

    private static final String MODEL_NAME = "The served model's name (edge.model.name)";
    private static final String MODEL_VERSION = "The model's version";

    private final KServeInference kserve;

    public KServeRestResource(KServeInference kserve) {
        this.kserve = kserve;
    }

    @GET
    @Operation(summary = "Server metadata")
    @APIResponse(responseCode = "200", description = "Name, version, extensions",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = ServerMetadata.class)))
    public ServerMetadata server() {
        return kserve.serverMetadata();
    }

    @GET
    @Path("health/live")
    @Operation(summary = "Server liveness")
    @APIResponse(responseCode = "200", description = "Always live: true",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.Live.class)))
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    /** 200 when ready; the specification's "4xx means false" is answered 400, with the reason in the log. */
    @GET
    @Path("health/ready")
    @Operation(summary = "Server readiness", description = "400 with ready: false when no model is ready (the "
            + "specification's \"4xx means false\").")
    @APIResponse(responseCode = "200", description = "Ready",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.Ready.class)))
    @APIResponse(responseCode = "400", description = "Not ready",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.Ready.class)))
    public Response ready() {
        boolean ready = kserve.serverReady();
        return Response.status(ready ? 200 : 400).entity(Map.of("ready", ready)).build();
    }

    @GET
    @Path("models/{name}")
    @Operation(summary = "Model metadata", description = "Inputs, outputs and, in parameters, the two ways to infer.")
    @APIResponse(responseCode = "200", description = "The model's metadata",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.ModelMetadata.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> metadata(@Parameter(description = MODEL_NAME) @PathParam("name") String name) {
        return metadataJson(kserve.modelMetadata(name, null));
    }

    @GET
    @Path("models/{name}/versions/{version}")
    @Operation(summary = "Model metadata of one version")
    @APIResponse(responseCode = "200", description = "The model's metadata",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.ModelMetadata.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> metadata(@Parameter(description = MODEL_NAME) @PathParam("name") String name,
                                        @Parameter(description = MODEL_VERSION) @PathParam("version") String version) {
        return metadataJson(kserve.modelMetadata(name, version));
    }

    @GET
    @Path("models/{name}/ready")
    @Operation(summary = "Model readiness")
    @APIResponse(responseCode = "200", description = "Whether the model is ready",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.ModelReady.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> modelReady(@Parameter(description = MODEL_NAME) @PathParam("name") String name) {
        return Map.of("name", name, "ready", kserve.modelReady(name, null));
    }

    @GET
    @Path("models/{name}/versions/{version}/ready")
    @Operation(summary = "Model readiness of one version")
    @APIResponse(responseCode = "200", description = "Whether the model version is ready",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.ModelReady.class)))
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> modelReady(@Parameter(description = MODEL_NAME) @PathParam("name") String name,
                                          @Parameter(description = MODEL_VERSION) @PathParam("version")
                                          String version) {
        return Map.of("name", name, "ready", kserve.modelReady(name, version));
    }

    @POST
    @Path("models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Inference", description = "Raw tensor (input images, FP32 [1,3,H,W]) or encoded image "
            + "(input image, BYTES [1], base64 JPEG/PNG; outputs boxes, scores, class_ids, labels).")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = KServeSchemas.InferRequest.class)))
    @APIResponse(responseCode = "200", description = "The outputs",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.InferResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiDoc.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiDoc.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ApiDoc.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> infer(@Parameter(description = MODEL_NAME) @PathParam("name") String name,
                                     JsonNode body) {
        return answerJson(kserve.infer(call(name, null, body)));
    }

    @POST
    @Path("models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Inference", description = "Raw tensor (input images, FP32 [1,3,H,W]) or encoded image "
            + "(input image, BYTES [1], base64 JPEG/PNG; outputs boxes, scores, class_ids, labels).")
    @RequestBody(required = true, content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = KServeSchemas.InferRequest.class)))
    @APIResponse(responseCode = "200", description = "The outputs",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(implementation = KServeSchemas.InferResponse.class)))
    @APIResponse(responseCode = "400", ref = ApiDoc.BAD_REQUEST)
    @APIResponse(responseCode = "404", ref = ApiDoc.NOT_FOUND)
    @APIResponse(responseCode = "413", ref = ApiDoc.PAYLOAD_TOO_LARGE)
    @APIResponse(responseCode = "415", ref = ApiDoc.UNSUPPORTED_MEDIA_TYPE)
    @APIResponse(responseCode = "429", ref = ApiDoc.TOO_MANY_REQUESTS)
    @APIResponse(responseCode = "503", ref = ApiDoc.UNAVAILABLE)
    public Map<String, Object> infer(@Parameter(description = MODEL_NAME) @PathParam("name") String name,
                                     @Parameter(description = MODEL_VERSION) @PathParam("version") String version,
                                     JsonNode body) {
        return answerJson(kserve.infer(call(name, version, body)));
    }

    private static Map<String, Object> metadataJson(ModelMetadata m) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("name", m.name());
        json.put("versions", m.versions());
        json.put("platform", m.platform());
        json.put("inputs", m.inputs().stream().map(KServeRestResource::tensorMetadata).toList());
        json.put("outputs", m.outputs().stream().map(KServeRestResource::tensorMetadata).toList());
        json.put("parameters", m.properties());
        return json;
    }

    private static Map<String, Object> tensorMetadata(Tensor t) {
        return Map.of("name", t.name(), "datatype", t.datatype(), "shape", t.shape());
    }

    private static Map<String, Object> answerJson(InferAnswer answer) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("model_name", answer.modelName());
        json.put("model_version", answer.modelVersion());
        if (answer.id() != null && !answer.id().isEmpty()) {
            json.put("id", answer.id());
        }
        List<Map<String, Object>> outputs = new ArrayList<>();
        for (Tensor t : answer.outputs()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("name", t.name());
            o.put("datatype", t.datatype());
            o.put("shape", t.shape());
            o.put("data", t.data() instanceof byte[][] elements
                    ? java.util.Arrays.stream(elements).map(e -> new String(e, StandardCharsets.UTF_8)).toList()
                    : t.data());
            outputs.add(o);
        }
        json.put("outputs", outputs);
        return json;
    }

    /** The request JSON ({@code $inference_request}) as a protocol-neutral call. */
    static InferCall call(String name, String version, JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new InvalidRequest("the body must be an inference request JSON object with 'inputs'");
        }
        JsonNode inputs = body.get("inputs");
        if (inputs == null || !inputs.isArray()) {
            throw new InvalidRequest("the inference request has no 'inputs' array");
        }
        List<Tensor> tensors = new ArrayList<>();
        for (JsonNode input : inputs) {
            tensors.add(tensor(input));
        }
        List<String> outputs = new ArrayList<>();
        JsonNode requested = body.get("outputs");
        if (requested != null && requested.isArray()) {
            for (JsonNode o : requested) {
                outputs.add(text(o, "name", "outputs[]"));
            }
        }
        String id = body.hasNonNull("id") ? body.get("id").asText() : "";
        return new InferCall(name, version, id, parameters(body.get("parameters")), tensors, outputs);
    }

    private static Tensor tensor(JsonNode input) {
        String name = text(input, "name", "an input");
        String datatype = text(input, "datatype", "input '" + name + "'");
        JsonNode shapeNode = input.get("shape");
        if (shapeNode == null || !shapeNode.isArray()) {
            throw new InvalidRequest("input '" + name + "' has no 'shape' array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            if (!shapeNode.get(i).canConvertToLong()) {
                throw new InvalidRequest("input '" + name + "' has a shape that is not a list of integers");
            }
            shape[i] = shapeNode.get(i).asLong();
        }
        JsonNode data = input.get("data");
        if (data == null) {
            throw new InvalidRequest("input '" + name + "' has no 'data'");
        }
        List<JsonNode> flat = new ArrayList<>();
        flatten(data, flat);
        return switch (datatype) {
            case Tensor.FP32 -> {
                float[] values = new float[flat.size()];
                for (int i = 0; i < values.length; i++) {
                    if (!flat.get(i).isNumber()) {
                        throw new InvalidRequest("input '" + name + "' is FP32 but holds " + flat.get(i).getNodeType());
                    }
                    values[i] = flat.get(i).floatValue();
                }
                yield Tensor.fp32(name, shape, values);
            }
            case Tensor.BYTES -> {
                byte[][] elements = new byte[flat.size()][];
                for (int i = 0; i < elements.length; i++) {
                    if (!flat.get(i).isTextual()) {
                        throw new InvalidRequest("input '" + name + "' is BYTES: its data must be base64 strings");
                    }
                    try {
                        elements[i] = Base64.getDecoder().decode(flat.get(i).asText());
                    } catch (IllegalArgumentException e) {
                        throw new InvalidRequest("input '" + name + "' holds a string that is not base64: " + e.getMessage());
                    }
                }
                yield Tensor.bytes(name, shape, elements);
            }
            default -> throw new InvalidRequest("input '" + name + "' has datatype " + datatype
                    + "; this model takes FP32 (raw tensor) or BYTES (encoded image)");
        };
    }

    private static void flatten(JsonNode node, List<JsonNode> out) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                flatten(child, out);
            }
        } else {
            out.add(node);
        }
    }

    private static Map<String, Object> parameters(JsonNode node) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject()) {
            throw new InvalidRequest("'parameters' must be a JSON object");
        }
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            Object value = v.isNumber() ? (Object) v.doubleValue() : v.isBoolean() ? (Object) v.booleanValue() : v.asText();
            parameters.put(e.getKey(), value);
        });
        return parameters;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node == null ? null : node.get(field);
        if (value == null || !value.isTextual()) {
            throw new InvalidRequest(where + " has no '" + field + "' string");
        }
        return value.asText();
    }
}
