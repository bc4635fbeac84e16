package edge.detect;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Turns one image's raw YOLO output ({@code [4 + nc, N]}, row-major: all cx, then all cy, ..., then each class's
 * scores) into detections: best class per anchor, confidence threshold, class filter, class-aware NMS, max-det,
 * and boxes mapped back to the original image. The same rules as Ultralytics' {@code non_max_suppression} with
 * one class per box.
 */
public final class YoloDecoder {

    /** Ultralytics' cap on the candidates that enter NMS. */
    static final int MAX_NMS_CANDIDATES = 30_000;

    private YoloDecoder() {
    }

    public static List<Detection> decode(FloatBuffer output, int anchors, List<String> classNames,
                                         DetectParams params, Letterbox letterbox) {
        int nc = classNames.size();
        if (output.remaining() != (4 + nc) * anchors) {
            throw new IllegalStateException("the output holds " + output.remaining() + " values, expected (4 + "
                    + nc + ") x " + anchors);
        }
        int base = output.position();
        float[] best = new float[anchors];
        int[] bestClass = new int[anchors];
        output.get(base + 4 * anchors, best, 0, anchors);
        // Class-major loops read the output in memory order.
        for (int c = 1; c < nc; c++) {
            int row = base + (4 + c) * anchors;
            for (int i = 0; i < anchors; i++) {
                float score = output.get(row + i);
                if (score > best[i]) {
                    best[i] = score;
                    bestClass[i] = c;
                }
            }
        }
        int[] candidates = new int[anchors];
        int count = 0;
        for (int i = 0; i < anchors; i++) {
            if (best[i] > params.conf() && params.keeps(bestClass[i])) {
                candidates[count++] = i;
            }
        }
        Integer[] order = new Integer[count];
        for (int k = 0; k < count; k++) {
            order[k] = candidates[k];
        }
        Arrays.sort(order, (a, b) -> Float.compare(best[b], best[a]));
        int considered = Math.min(count, MAX_NMS_CANDIDATES);

        List<Detection> kept = new ArrayList<>();
        List<Box> keptBoxes = new ArrayList<>();
        for (int k = 0; k < considered && kept.size() < params.maxDet(); k++) {
            int i = order[k];
            float cx = output.get(base + i);
            float cy = output.get(base + anchors + i);
            float w = output.get(base + 2 * anchors + i);
            float h = output.get(base + 3 * anchors + i);
            Box box = new Box(cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2);
            if (suppressed(box, bestClass[i], kept, keptBoxes, params.iou())) {
                continue;
            }
            kept.add(new Detection(bestClass[i], classNames.get(bestClass[i]), best[i],
                    letterbox.toSource(box.x1(), box.y1(), box.x2(), box.y2())));
            keptBoxes.add(box);
        }
        return kept;
    }

    /** Class-aware: only a better-scoring kept box of the same class can suppress this one. */
    private static boolean suppressed(Box box, int classId, List<Detection> kept, List<Box> keptBoxes, float iou) {
        for (int j = 0; j < kept.size(); j++) {
            if (kept.get(j).classId() == classId && box.iou(keptBoxes.get(j)) > iou) {
                return true;
            }
        }
        return false;
    }
}
