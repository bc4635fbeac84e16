package edge.registry;

import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** Where the serving model came from: {@code registry}, {@code store} or {@code path} (edge.model.path). */
public enum ModelSource {
    REGISTRY, STORE, PATH;

    @JsonValue
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
