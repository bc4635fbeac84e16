package edge.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edge.testing.Fixtures;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The OpenAPI document at {@code /q/openapi}: it lists exactly the REST routes the service answers (found by
 * reflection over the compiled JAX-RS resource classes, not from the document), documents the error answers of the
 * detection endpoints, and is valid OpenAPI per swagger-parser (from npm, pinned in src/test/openapi-validator).
 */
@QuarkusTest
class OpenApiDocumentTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final java.nio.file.Path CLASSES = java.nio.file.Path.of("target/classes");
    private static final java.nio.file.Path VALIDATOR_SOURCE = java.nio.file.Path.of("src/test/openapi-validator");
    private static final java.nio.file.Path VALIDATOR = java.nio.file.Path.of("target/openapi-validator");
    private static final Set<String> HTTP_METHODS = Set.of("get", "put", "post", "delete", "options", "head", "patch",
            "trace");

    static JsonNode document() throws IOException {
        String body = given().queryParam("format", "json").when().get("/q/openapi")
                .then().statusCode(200).extract().asString();
        return JSON.readTree(body);
    }

    /** "METHOD /path" of every resource method of every class under target/classes annotated with @Path. */
    static Set<String> jaxRsRoutes() throws IOException, ClassNotFoundException {
        Set<String> routes = new TreeSet<>();
        List<java.nio.file.Path> classFiles;
        try (Stream<java.nio.file.Path> files = Files.walk(CLASSES)) {
            classFiles = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        for (java.nio.file.Path file : classFiles) {
            String name = CLASSES.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", "");
            Class<?> type = Class.forName(name, false, OpenApiDocumentTest.class.getClassLoader());
            Path classPath = type.getAnnotation(Path.class);
            if (classPath == null) {
                continue;
            }
            for (Method method : type.getDeclaredMethods()) {
                String verb = httpMethod(method);
                Path methodPath = method.getAnnotation(Path.class);
                if (verb == null) {
                    assertTrue(methodPath == null, "sub-resource locators are not expected: " + method);
                    continue;
                }
                routes.add(verb + " " + join(classPath.value(), methodPath == null ? "" : methodPath.value()));
            }
        }
        return routes;
    }

    private static String httpMethod(Method method) {
        for (Annotation a : method.getAnnotations()) {
            HttpMethod verb = a.annotationType().getAnnotation(HttpMethod.class);
            if (verb != null) {
                return verb.value();
            }
        }
        return null;
    }

    /** JAX-RS path joining: one slash between segments, none at the end, template regexes dropped. */
    static String join(String classPath, String methodPath) {
        String path = ("/" + classPath + "/" + methodPath).replaceAll("\\{\\s*(\\w+)\\s*:[^}]*}", "{$1}")
                .replaceAll("/+", "/");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }

    static Set<String> documentedRoutes(JsonNode doc) {
        Set<String> routes = new TreeSet<>();
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(key -> {
            if (HTTP_METHODS.contains(key)) {
                routes.add(key.toUpperCase() + " " + path.getKey());
            }
        }));
        return routes;
    }

    @Test
    void everyRouteIsDocumentedAndNothingElse() throws Exception {
        Set<String> real = jaxRsRoutes();
        Set<String> documented = documentedRoutes(document());
        // The service's known surface, so that a scan that finds nothing cannot pass.
        assertTrue(real.containsAll(List.of("POST /detect", "POST /count", "POST /annotate", "GET /count",
                "GET /cameras", "GET /cameras/{id}/frame", "GET /cameras/{id}/events", "GET /samples",
                "GET /samples/{name}", "GET /models", "POST /models/pull", "POST /models/rollback", "PUT /models/pin",
                "DELETE /models/pin", "GET /v2", "POST /v2/models/{name}/infer")), "routes found: " + real);
        Set<String> undocumented = new TreeSet<>(real);
        undocumented.removeAll(documented);
        Set<String> unknown = new TreeSet<>(documented);
        unknown.removeAll(real);
        assertTrue(undocumented.isEmpty(), "routes missing from /q/openapi: " + undocumented);
        assertTrue(unknown.isEmpty(), "/q/openapi lists routes no resource answers: " + unknown);
    }

    @Test
    void everyScannedRouteReallyAnswersOnTheServer() throws Exception {
        // The reflection scan and the server agree: no scanned route is refused as unknown by JAX-RS (as /nowhere
        // is) or answered 405 (path known, method not). The resources' own 404s (no such camera, sample or model)
        // say what is missing. Placeholders get values the resources refuse or serve.
        String unmatched = "Unable to find matching target resource method";
        given().when().get("/nowhere").then().statusCode(404).body("error", org.hamcrest.Matchers.equalTo(unmatched));
        for (String route : jaxRsRoutes()) {
            String[] parts = route.split(" ", 2);
            String path = parts[1].replace("{id}", "nocam").replace("{name}", "yolov8n-int8-dynamic")
                    .replace("{version}", "8.4.115");
            io.restassured.response.Response answer = given().when().request(parts[0], path);
            assertFalse(answer.statusCode() == 405, route + " answered 405");
            if (answer.statusCode() == 404) {
                assertFalse(answer.asString().contains(unmatched), route + ": " + answer.asString());
            }
        }
    }

    @Test
    void detectionEndpointsDocumentTheirErrorsAndInputs() throws Exception {
        JsonNode doc = document();
        for (String path : List.of("/detect", "/count", "/annotate")) {
            JsonNode post = doc.at("/paths/" + path.replace("/", "~1") + "/post");
            assertFalse(post.isMissingNode(), path);
            for (String status : List.of("200", "400", "401", "413", "415", "429", "503")) {
                assertTrue(post.at("/responses/" + status).isObject(), "POST " + path + " documents " + status);
            }
            JsonNode content = post.at("/requestBody/content");
            for (String type : List.of("image/jpeg", "image/png", "application/octet-stream", "multipart/form-data")) {
                assertTrue(content.has(type), "POST " + path + " takes " + type + ": " + content);
            }
            JsonNode multipart = resolve(doc, content.at("/multipart~1form-data/schema"));
            assertTrue(multipart.at("/properties/image").isObject(), "multipart field image: " + multipart);
            Set<String> parameters = new TreeSet<>();
            post.get("parameters").forEach(p -> parameters.add(p.get("in").asText() + ":" + p.get("name").asText()));
            assertTrue(parameters.containsAll(List.of("query:conf", "query:iou", "query:maxDet", "query:classes",
                    "query:camera", "query:cache")), "POST " + path + " parameters: " + parameters);
        }
        JsonNode error = resolve(doc, resolve(doc, doc.at("/paths/~1detect/post/responses/413"))
                .at("/content/application~1json/schema"));
        assertEquals(Set.of("error", "status"), fieldNames(error.get("properties")), "the error body: " + error);
    }

    @Test
    void realAnswersMatchTheirDocumentedSchemas() throws Exception {
        JsonNode doc = document();
        byte[] bus = Fixtures.imageBytes("bus.jpg");
        String model = "/v2/models/yolov8n-int8-dynamic";
        String version = model + "/versions/8.4.115";
        Set<String> noCache = Set.of("cache");

        matches(doc, "post", "/detect", image(bus).post("/detect"), 200, noCache);
        matches(doc, "post", "/detect", image(bus).queryParam("format", "coco").queryParam("imageId", 42)
                .post("/detect"), 200, Set.of());
        matches(doc, "post", "/count", image(bus).post("/count"), 200, noCache);
        matches(doc, "post", "/count", given().multiPart("image", "bus.jpg", bus, "image/jpeg").post("/count"), 200,
                noCache);
        matches(doc, "post", "/annotate", image(bus).post("/annotate"), 200, Set.of());
        matches(doc, "post", "/detect", given().contentType("image/jpeg").body(new byte[0]).post("/detect"), 400,
                Set.of());
        matches(doc, "post", "/detect", given().contentType("text/plain").body("hello").post("/detect"), 415,
                Set.of());
        matches(doc, "post", "/detect", image(bus).queryParam("conf", "abc").post("/detect"), 400, Set.of());
        matches(doc, "get", "/count", given().get("/count"), 400, Set.of());
        matches(doc, "get", "/cameras", given().get("/cameras"), 200, Set.of());
        matches(doc, "get", "/cameras/{id}/frame", given().get("/cameras/nocam/frame"), 404, Set.of());
        matches(doc, "get", "/samples", given().get("/samples"), 200, Set.of());
        matches(doc, "get", "/models", given().get("/models"), 401, Set.of());

        matches(doc, "get", "/v2", given().get("/v2"), 200, Set.of());
        matches(doc, "get", "/v2/health/live", given().get("/v2/health/live"), 200, Set.of());
        matches(doc, "get", "/v2/health/ready", given().get("/v2/health/ready"), 200, Set.of());
        matches(doc, "get", "/v2/models/{name}", given().get(model), 200, Set.of());
        matches(doc, "get", "/v2/models/{name}/versions/{version}", given().get(version), 200, Set.of());
        matches(doc, "get", "/v2/models/{name}/ready", given().get(model + "/ready"), 200, Set.of());
        matches(doc, "get", "/v2/models/{name}/versions/{version}/ready", given().get(version + "/ready"), 200,
                Set.of());
        matches(doc, "get", "/v2/models/{name}", given().get("/v2/models/nope"), 404, Set.of());

        ObjectNode infer = JSON.createObjectNode();
        infer.put("id", "r1");
        infer.putObject("parameters").put("conf", 0.3);
        ObjectNode input = infer.putArray("inputs").addObject();
        input.put("name", "image").put("datatype", "BYTES");
        input.putArray("shape").add(1);
        input.putArray("data").add(java.util.Base64.getEncoder().encodeToString(bus));
        List<String> problems = new ArrayList<>();
        check(doc, doc.at("/paths/~1v2~1models~1{name}~1infer/post/requestBody/content/application~1json/schema"),
                infer, "request", Set.of("outputs"), problems);
        assertEquals(List.of(), problems, "the inference request of README.md against its schema");
        String body = JSON.writeValueAsString(infer);
        matches(doc, "post", "/v2/models/{name}/infer",
                given().contentType("application/json").body(body).post(model + "/infer"), 200, Set.of());
        matches(doc, "post", "/v2/models/{name}/versions/{version}/infer",
                given().contentType("application/json").body(body.replace("\"id\":\"r1\",", ""))
                        .post(version + "/infer"), 200, Set.of("id"));
        matches(doc, "post", "/v2/models/{name}/infer",
                given().contentType("application/json").body("{\"inputs\": 3}").post(model + "/infer"), 400, Set.of());
    }

    private static io.restassured.specification.RequestSpecification image(byte[] bytes) {
        return given().contentType("image/jpeg").body(bytes);
    }

    /**
     * The answer's status and Content-Type are documented for the operation, and its JSON body has exactly the
     * fields of the documented schema (recursively; {@code mayBeAbsent} may be missing, e.g. fields left out when
     * null).
     */
    static void matches(JsonNode doc, String method, String path, io.restassured.response.Response answer,
                                int status, Set<String> mayBeAbsent) throws IOException {
        String where = method.toUpperCase() + " " + path + " " + status;
        assertEquals(status, answer.statusCode(), where + ": " + answer.asString());
        JsonNode response = resolve(doc, doc.at("/paths/" + path.replace("/", "~1") + "/" + method + "/responses/"
                + status));
        assertFalse(response.isMissingNode(), where + " is not documented");
        String type = answer.contentType().split(";")[0].trim();
        JsonNode content = response.at("/content/" + type.replace("/", "~1"));
        assertFalse(content.isMissingNode(), where + ": Content-Type " + type + " is not documented: " + response);
        if (!type.equals("application/json")) {
            return;
        }
        List<String> problems = new ArrayList<>();
        check(doc, content.get("schema"), JSON.readTree(answer.asString()), "body", mayBeAbsent, problems);
        assertEquals(List.of(), problems, where + ": the answer differs from its schema: " + answer.asString());
    }

    /** A small structural check of a JSON value against an OpenAPI schema: fields, JSON types, oneOf. */
    static void check(JsonNode doc, JsonNode schema, JsonNode value, String at, Set<String> mayBeAbsent,
                      List<String> problems) {
        schema = resolve(doc, schema);
        if (schema == null || schema.isMissingNode()) {
            problems.add(at + ": no schema");
            return;
        }
        if (value.isNull()) {
            return;
        }
        if (schema.has("oneOf")) {
            int matching = 0;
            for (JsonNode option : schema.get("oneOf")) {
                List<String> optionProblems = new ArrayList<>();
                check(doc, option, value, at, mayBeAbsent, optionProblems);
                matching += optionProblems.isEmpty() ? 1 : 0;
            }
            if (matching != 1) {
                problems.add(at + ": matches " + matching + " of the oneOf schemas");
            }
            return;
        }
        String type = schema.path("type").asText("");
        switch (type) {
            case "object" -> {
                if (!value.isObject()) {
                    problems.add(at + ": not an object");
                    return;
                }
                JsonNode properties = schema.get("properties");
                JsonNode additional = schema.get("additionalProperties");
                value.fields().forEachRemaining(field -> {
                    JsonNode property = properties == null ? null : properties.get(field.getKey());
                    JsonNode fieldSchema = property != null ? property
                            : additional != null && additional.isObject() ? additional : null;
                    if (fieldSchema == null) {
                        problems.add(at + "." + field.getKey() + ": not in the schema");
                    } else {
                        check(doc, fieldSchema, field.getValue(), at + "." + field.getKey(), mayBeAbsent, problems);
                    }
                });
                if (properties != null) {
                    properties.fieldNames().forEachRemaining(name -> {
                        if (!value.has(name) && !mayBeAbsent.contains(name)) {
                            problems.add(at + "." + name + ": in the schema, not in the answer");
                        }
                    });
                }
            }
            case "array" -> {
                if (!value.isArray()) {
                    problems.add(at + ": not an array");
                    return;
                }
                JsonNode items = schema.get("items");
                for (int i = 0; items != null && i < value.size(); i++) {
                    check(doc, items, value.get(i), at + "[" + i + "]", mayBeAbsent, problems);
                }
            }
            case "string" -> {
                if (!value.isTextual()) {
                    problems.add(at + ": not a string");
                }
            }
            case "integer" -> {
                if (!value.isIntegralNumber()) {
                    problems.add(at + ": not an integer");
                }
            }
            case "number" -> {
                if (!value.isNumber()) {
                    problems.add(at + ": not a number");
                }
            }
            case "boolean" -> {
                if (!value.isBoolean()) {
                    problems.add(at + ": not a boolean");
                }
            }
            default -> {
                if (!schema.isEmpty()) { // {} is any value
                    problems.add(at + ": schema without a type: " + schema);
                }
            }
        }
    }

    @Test
    void securitySchemesAreDeclaredAndApplied() throws Exception {
        JsonNode doc = document();
        JsonNode schemes = doc.at("/components/securitySchemes");
        assertEquals("X-API-Key", schemes.at("/apiKey/name").asText());
        assertEquals("header", schemes.at("/apiKey/in").asText());
        assertEquals("bearer", schemes.at("/bearer/scheme").asText());
        assertEquals("bearer", schemes.at("/adminKey/scheme").asText());
        doc.get("paths").fields().forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
            if (!HTTP_METHODS.contains(op.getKey())) {
                return;
            }
            Set<String> names = new TreeSet<>();
            op.getValue().path("security").forEach(requirement -> names.addAll(fieldNames(requirement)));
            Set<String> expected = path.getKey().startsWith("/models") ? Set.of("adminKey")
                    : Set.of("apiKey", "bearer");
            assertEquals(expected, names, op.getKey() + " " + path.getKey() + " security");
            assertTrue(op.getValue().at("/responses/401").isObject(), op.getKey() + " " + path.getKey() + " 401");
        }));
    }

    @Test
    void infoComesFromTheConfiguration() throws Exception {
        JsonNode info = document().get("info");
        assertEquals("Edge detector API", info.get("title").asText());
        assertFalse(info.get("description").asText().isBlank());
        assertFalse(info.get("version").asText().isBlank());
        given().when().get("/q/swagger-ui/").then().statusCode(200);
    }

    @Test
    void documentIsValidOpenApiAndTheValidatorCatchesABrokenOne() throws Exception {
        Assumptions.assumeTrue(onPath("node"), "node is not installed: the OpenAPI document is not validated "
                + "(.ci/run installs nodejs and npm)");
        java.nio.file.Path dir = Files.createDirectories(java.nio.file.Path.of("target/openapi"));
        JsonNode doc = document();
        java.nio.file.Path good = dir.resolve("openapi.json");
        Files.writeString(good, JSON.writerWithDefaultPrettyPrinter().writeValueAsString(doc));
        installValidator();

        Result valid = run(VALIDATOR, "node", "validate.mjs", good.toAbsolutePath().toString());
        assertEquals(0, valid.exit(), "swagger-parser finds /q/openapi invalid:\n" + valid.output());
        assertTrue(valid.output().contains("valid: "), valid.output());

        // The same document with two mistakes: no info.version, and a response without its description.
        ObjectNode broken = doc.deepCopy();
        ((ObjectNode) broken.get("info")).remove("version");
        ((ObjectNode) broken.at("/paths/~1detect/post/responses/200")).remove("description");
        java.nio.file.Path bad = dir.resolve("openapi-broken.json");
        Files.writeString(bad, JSON.writeValueAsString(broken));
        Result invalid = run(VALIDATOR, "node", "validate.mjs", bad.toAbsolutePath().toString());
        assertEquals(1, invalid.exit(), "the validator must refuse a broken document:\n" + invalid.output());
        assertTrue(invalid.output().contains("must have required property 'version'"), invalid.output());
        assertTrue(invalid.output().contains("must have required property 'description'"), invalid.output());
    }

    /** npm ci of the pinned validator into target/openapi-validator, unless it is there from an earlier run. */
    private static void installValidator() throws Exception {
        assertTrue(onPath("npm"), "node is installed but npm is not: install npm (.ci/run does)");
        Files.createDirectories(VALIDATOR);
        boolean same = true;
        for (String file : List.of("package.json", "package-lock.json", ".npmrc", "validate.mjs")) {
            java.nio.file.Path target = VALIDATOR.resolve(file);
            byte[] source = Files.readAllBytes(VALIDATOR_SOURCE.resolve(file));
            same &= Files.exists(target) && java.util.Arrays.equals(source, Files.readAllBytes(target));
            Files.write(target, source);
        }
        if (same && Files.isDirectory(VALIDATOR.resolve("node_modules/@apidevtools/swagger-parser"))) {
            return;
        }
        Result install = run(VALIDATOR, "npm", "ci", "--no-fund", "--no-audit");
        assertEquals(0, install.exit(), "npm ci of the OpenAPI validator failed:\n" + install.output());
    }

    record Result(int exit, String output) {
    }

    private static Result run(java.nio.file.Path dir, String... command) throws Exception {
        java.nio.file.Path log = Files.createTempFile(Files.createDirectories(java.nio.file.Path.of("target")),
                "openapi-validator", ".log");
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        process.getOutputStream().close();
        boolean done = process.waitFor(5, TimeUnit.MINUTES);
        if (!done) {
            process.destroyForcibly();
        }
        String output = Files.readString(log);
        Files.delete(log);
        if (!done) {
            fail(String.join(" ", command) + " did not finish in 5 minutes:\n" + output);
        }
        return new Result(process.exitValue(), output);
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(java.nio.file.Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    static JsonNode resolve(JsonNode doc, JsonNode node) {
        while (node != null && node.has("$ref")) {
            node = doc.at(node.get("$ref").asText().substring(1));
        }
        return node;
    }

    static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        if (node != null) {
            node.fieldNames().forEachRemaining(names::add);
        }
        return names;
    }
}
