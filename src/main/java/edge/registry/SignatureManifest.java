package edge.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import edge.registry.oci.Descriptor;
import edge.registry.sign.SignatureLayout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The manifest under a {@code sha256-<hex>.sig} tag, as cosign lays it out: an OCI image manifest whose layers
 * are signed payloads, each with its signature in an annotation.
 */
final class SignatureManifest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The empty JSON object cosign uses as the config of a signature manifest. */
    static final byte[] EMPTY_CONFIG = "{}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    static final String CONFIG_MEDIA_TYPE = "application/vnd.oci.image.config.v1+json";

    private SignatureManifest() {
    }

    /** The payload layers of a signature manifest (empty when it has none or is not JSON). */
    static List<Descriptor> payloadLayers(byte[] manifest) throws ArtifactRejected {
        JsonNode root;
        try {
            root = JSON.readTree(manifest);
        } catch (IOException e) {
            throw new ArtifactRejected("the signature manifest is not JSON: " + e.getMessage());
        }
        List<Descriptor> layers = new ArrayList<>();
        for (JsonNode layer : root.path("layers")) {
            if (!SignatureLayout.PAYLOAD_MEDIA_TYPE.equals(layer.path("mediaType").asText())
                    || !layer.path("digest").isTextual() || !layer.path("size").canConvertToLong()) {
                continue;
            }
            Map<String, String> annotations = new LinkedHashMap<>();
            layer.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
            layers.add(new Descriptor(SignatureLayout.PAYLOAD_MEDIA_TYPE, layer.path("digest").asText(),
                    layer.path("size").asLong(), annotations));
        }
        return layers;
    }

    /** A signature manifest with one payload layer carrying its signature. */
    static byte[] of(Descriptor config, Descriptor payload) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", ModelArtifact.MANIFEST_MEDIA_TYPE);
        ObjectNode c = root.putObject("config");
        c.put("mediaType", config.mediaType());
        c.put("digest", config.digest());
        c.put("size", config.size());
        ObjectNode layer = root.putArray("layers").addObject();
        layer.put("mediaType", payload.mediaType());
        layer.put("digest", payload.digest());
        layer.put("size", payload.size());
        ObjectNode annotations = layer.putObject("annotations");
        payload.annotations().forEach(annotations::put);
        try {
            return JSON.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
