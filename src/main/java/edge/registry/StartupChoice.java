package edge.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The order in which a box tries its stored versions at start: the pinned one, else the last serving one, else the
 * others newest first (the store's order). The first that loads and passes validation serves; the registry is not
 * needed for that.
 */
final class StartupChoice {

    private StartupChoice() {
    }

    /**
     * @param versions the stored versions, newest first
     * @param pinned   the pinned digest, or null
     * @param current  the digest served last, or null
     */
    static List<ModelStore.StoredModel> order(List<ModelStore.StoredModel> versions, String pinned, String current) {
        List<ModelStore.StoredModel> order = new ArrayList<>();
        for (String preferred : new String[] {pinned, current}) {
            versions.stream().filter(v -> Objects.equals(v.digest(), preferred)).findFirst()
                    .filter(v -> !order.contains(v)).ifPresent(order::add);
        }
        versions.stream().filter(v -> !order.contains(v)).forEach(order::add);
        return order;
    }
}
