package edge.registry;

import java.util.Optional;

/**
 * The name a box serves its models under, whatever the version: KServe clients address a model by it
 * ({@code /v2/models/<name>/infer}), so it must not change when the registry delivers a new version.
 */
final class ServedName {

    private ServedName() {
    }

    /**
     * {@code edge.model.name}, else the last segment of the followed repository ({@code vision/factory-yolov8n} ->
     * {@code factory-yolov8n}), else empty, which means the model file's name. A seed model from
     * {@code edge.model.path} gets the same name as the versions pulled later.
     *
     * @param repository the followed repository, empty when the box follows no registry
     */
    static Optional<String> of(Optional<String> configured, Optional<String> repository) {
        Optional<String> name = configured.map(String::strip).filter(n -> !n.isEmpty());
        if (name.isPresent()) {
            return name;
        }
        return repository.map(r -> r.substring(r.lastIndexOf('/') + 1).strip()).filter(n -> !n.isEmpty());
    }
}
