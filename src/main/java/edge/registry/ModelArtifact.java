package edge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edge.registry.oci.Descriptor;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A model as an OCI artifact (models/README.md): an OCI image manifest with artifactType
 * {@value #ARTIFACT_TYPE}, a JSON config ({@link ArtifactConfig}) and exactly one layer, the ONNX file.
 *
 * @param digest   the manifest digest, what signatures sign and what the store keys versions by
 * @param config   the config blob's descriptor
 * @param model    the ONNX layer's descriptor
 * @param fileName the layer's {@code org.opencontainers.image.title}
 */
public record ModelArtifact(String digest, Descriptor config, Descriptor model, String fileName) {

    public static final String MANIFEST_MEDIA_TYPE = "application/vnd.oci.image.manifest.v1+json";
    public static final String ARTIFACT_TYPE = "application/vnd.edge.model.v1";
    public static final String CONFIG_MEDIA_TYPE = "application/vnd.edge.model.config.v1+json";
    public static final String ONNX_MEDIA_TYPE = "application/vnd.edge.model.layer.v1.onnx";
    public static final String TITLE = "org.opencontainers.image.title";
    public static final String VERSION = "org.opencontainers.image.version";
    public static final String CREATED = "org.opencontainers.image.created";

    /** The largest artifact config read (class names and canaries fit in far less). */
    public static final long MAX_CONFIG_BYTES = 1 << 20;

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Reads a manifest as a model artifact.
     *
     * @throws ArtifactRejected when it is not one: another artifact type, no config of ours, not exactly one ONNX
     *                          layer, no title
     */
    public static ModelArtifact parse(String digest, byte[] manifest) throws ArtifactRejected {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new ArtifactRejected("manifest " + digest + " is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new ArtifactRejected("manifest " + digest + " is not a JSON object");
        }
        String mediaType = root.path("mediaType").asText("");
        if (!mediaType.isEmpty() && !mediaType.equals(MANIFEST_MEDIA_TYPE)) {
            throw new ArtifactRejected("manifest " + digest + " has media type " + mediaType + ", expected "
                    + MANIFEST_MEDIA_TYPE + " (an index or a container image is not a model)");
        }
        Descriptor config = descriptor(root.path("config"), digest, "config");
        String artifactType = root.path("artifactType").asText(config.mediaType());
        if (!artifactType.equals(ARTIFACT_TYPE) || !config.mediaType().equals(CONFIG_MEDIA_TYPE)) {
            throw new ArtifactRejected("manifest " + digest + " is a " + artifactType + " with a "
                    + config.mediaType() + " config, not a model (" + ARTIFACT_TYPE + " with a " + CONFIG_MEDIA_TYPE
                    + " config)");
        }
        JsonNode layers = root.path("layers");
        if (!layers.isArray() || layers.size() != 1) {
            throw new ArtifactRejected("manifest " + digest + " must have exactly one layer (the ONNX file), has "
                    + (layers.isArray() ? layers.size() : 0));
        }
        Descriptor model = descriptor(layers.get(0), digest, "layer");
        if (!model.mediaType().equals(ONNX_MEDIA_TYPE)) {
            throw new ArtifactRejected("the layer of " + digest + " is a " + model.mediaType() + ", expected "
                    + ONNX_MEDIA_TYPE);
        }
        String title = model.annotations().get(TITLE);
        if (title == null || title.isBlank() || title.contains("/") || title.contains("\\")) {
            throw new ArtifactRejected("the layer of " + digest + " needs a plain file name in the " + TITLE
                    + " annotation, has " + title);
        }
        return new ModelArtifact(digest, config, model, title);
    }

    private static Descriptor descriptor(JsonNode node, String digest, String what) throws ArtifactRejected {
        if (!node.isObject() || !node.path("digest").isTextual() || !node.path("size").canConvertToLong()
                || !node.path("mediaType").isTextual()) {
            throw new ArtifactRejected("manifest " + digest + " has no valid " + what
                    + " descriptor (mediaType, digest, size)");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        long size = node.path("size").asLong();
        if (size < 0) {
            throw new ArtifactRejected("manifest " + digest + " has a negative " + what + " size");
        }
        return new Descriptor(node.path("mediaType").asText(), node.path("digest").asText(), size, annotations);
    }

    /** The manifest bytes a publisher pushes for a config and a model layer (compact JSON, fields in spec order). */
    public static byte[] manifest(Descriptor config, Descriptor model, Map<String, String> annotations) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MANIFEST_MEDIA_TYPE);
        root.put("artifactType", ARTIFACT_TYPE);
        root.set("config", json(config));
        ArrayNode layers = root.putArray("layers");
        layers.add(json(model));
        if (!annotations.isEmpty()) {
            ObjectNode node = root.putObject("annotations");
            annotations.forEach(node::put);
        }
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode json(Descriptor d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest());
        node.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            d.annotations().forEach(annotations::put);
        }
        return node;
    }
}
