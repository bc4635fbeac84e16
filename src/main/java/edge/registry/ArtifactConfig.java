package edge.registry;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The config blob of a model artifact: what the publisher says the model is, checked against what the model file
 * turns out to be before it serves.
 *
 * @param name       the name answers carry
 * @param version    the version answers carry
 * @param classNames the class names in output order (empty: not checked)
 * @param inputSize  the input {@code [width, height]} (empty: not checked)
 * @param canary     minimum counts per class for the edge's canary images, by canary name
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record ArtifactConfig(String name, String version, List<String> classNames, List<Integer> inputSize,
                             Map<String, Map<String, Integer>> canary) {

    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public ArtifactConfig {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        inputSize = inputSize == null ? List.of() : List.copyOf(inputSize);
        canary = canary == null ? Map.of() : copy(canary);
    }

    private static Map<String, Map<String, Integer>> copy(Map<String, Map<String, Integer>> canary) {
        Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
        canary.forEach((k, v) -> copy.put(k, v == null ? Map.of() : Map.copyOf(v)));
        return Map.copyOf(copy);
    }

    public static ArtifactConfig parse(byte[] json) throws ArtifactRejected {
        ArtifactConfig config;
        try {
            config = JSON.readValue(json, ArtifactConfig.class);
        } catch (JsonProcessingException e) {
            throw new ArtifactRejected("the artifact config is not valid: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new ArtifactRejected("the artifact config cannot be read: " + e.getMessage());
        }
        if (config == null || config.name() == null || config.name().isBlank() || config.version() == null
                || config.version().isBlank()) {
            throw new ArtifactRejected("the artifact config needs a name and a version");
        }
        if (!config.inputSize().isEmpty() && config.inputSize().size() != 2) {
            throw new ArtifactRejected("the artifact config's inputSize must be [width, height], is "
                    + config.inputSize());
        }
        return config;
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
