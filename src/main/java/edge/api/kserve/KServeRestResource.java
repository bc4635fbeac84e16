package edge.api.kserve;

import com.fasterxml.jackson.databind.JsonNode;
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
public class KServeRestResource {

    private final KServeInference kserve;

    public KServeRestResource(KServeInference kserve) {
        this.kserve = kserve;
    }

    @GET
    public ServerMetadata server() {
        return kserve.serverMetadata();
    }

    @GET
    @Path("health/live")
    public Map<String, Boolean> live() {
        return Map.of("live", true);
    }

    /** 200 when ready; the specification's "4xx means false" is answered 400, with the reason in the log. */
    @GET
    @Path("health/ready")
    public Response ready() {
        boolean ready = kserve.serverReady();
        return Response.status(ready ? 200 : 400).entity(Map.of("ready", ready)).build();
    }

    @GET
    @Path("models/{name}")
    public Map<String, Object> metadata(@PathParam("name") String name) {
        return metadataJson(kserve.modelMetadata(name, null));
    }

    @GET
    @Path("models/{name}/versions/{version}")
    public Map<String, Object> metadata(@PathParam("name") String name, @PathParam("version") String version) {
        return metadataJson(kserve.modelMetadata(name, version));
    }

    @GET
    @Path("models/{name}/ready")
    public Map<String, Object> modelReady(@PathParam("name") String name) {
        return Map.of("name", name, "ready", kserve.modelReady(name, null));
    }

    @GET
    @Path("models/{name}/versions/{version}/ready")
    public Map<String, Object> modelReady(@PathParam("name") String name, @PathParam("version") String version) {
        return Map.of("name", name, "ready", kserve.modelReady(name, version));
    }

    @POST
    @Path("models/{name}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> infer(@PathParam("name") String name, JsonNode body) {
        return answerJson(kserve.infer(call(name, null, body)));
    }

    @POST
    @Path("models/{name}/versions/{version}/infer")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> infer(@PathParam("name") String name, @PathParam("version") String version,
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
