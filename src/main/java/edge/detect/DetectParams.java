package edge.detect;

import java.util.Set;

/**
 * Resolved post-processing parameters of one request.
 *
 * @param classes class ids to keep; empty keeps every class
 */
public record DetectParams(float conf, float iou, int maxDet, Set<Integer> classes) {

    public DetectParams {
        classes = Set.copyOf(classes);
    }

    public boolean keeps(int classId) {
        return classes.isEmpty() || classes.contains(classId);
    }
}
