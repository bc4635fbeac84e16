package edge.eval;

import edge.detect.Detection;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Box mAP as Ultralytics' detection validator computes it: IoU thresholds 0.50:0.05:0.95; per image, every
 * detection takes its best-IoU label of the same class, then every label keeps only the highest-confidence
 * detection that chose it; per class, precision/recall over all detections by confidence, AP as the trapezoid
 * integral of the interpolated precision envelope at 101 recall points; mAP averaged over the classes that have
 * labels.
 */
public final class MeanAveragePrecision {

    static final double[] IOU_THRESHOLDS = {0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.85, 0.90, 0.95};
    private static final int RECALL_POINTS = 101;

    private record Scored(float confidence, int classId, boolean[] correct) {
    }

    private final List<Scored> scored = new ArrayList<>();
    private final Map<Integer, Integer> labelsPerClass = new HashMap<>();

    /** @param detections of one image, by confidence, descending */
    public void add(List<Detection> detections, List<GroundTruth> labels) {
        for (GroundTruth label : labels) {
            labelsPerClass.merge(label.classId(), 1, Integer::sum);
        }
        boolean[][] correct = match(detections, labels);
        for (int p = 0; p < detections.size(); p++) {
            scored.add(new Scored(detections.get(p).confidence(), detections.get(p).classId(), correct[p]));
        }
    }

    /** correct[p][t]: detection p is a true positive at IoU threshold t. */
    static boolean[][] match(List<Detection> detections, List<GroundTruth> labels) {
        int n = detections.size();
        boolean[][] correct = new boolean[n][IOU_THRESHOLDS.length];
        if (n == 0 || labels.isEmpty()) {
            return correct;
        }
        double[][] iou = new double[n][labels.size()];
        for (int p = 0; p < n; p++) {
            for (int l = 0; l < labels.size(); l++) {
                if (detections.get(p).classId() == labels.get(l).classId()) {
                    iou[p][l] = detections.get(p).box().iou(labels.get(l).box());
                }
            }
        }
        for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
            int[] chosenBy = new int[labels.size()];
            Arrays.fill(chosenBy, -1);
            // Detections in confidence order: the first to choose a label keeps it.
            for (int p = 0; p < n; p++) {
                int best = -1;
                for (int l = 0; l < labels.size(); l++) {
                    if (iou[p][l] >= IOU_THRESHOLDS[t] && (best < 0 || iou[p][l] > iou[p][best])) {
                        best = l;
                    }
                }
                if (best >= 0 && chosenBy[best] < 0) {
                    chosenBy[best] = p;
                    correct[p][t] = true;
                }
            }
        }
        return correct;
    }

    /** mAP at IoU 0.50 and averaged over 0.50:0.95. */
    public record Result(double map50, double map5095, int classes, int labels, int detections) {
    }

    public Result compute() {
        List<Scored> ordered = new ArrayList<>(scored);
        ordered.sort(Comparator.comparingDouble((Scored s) -> s.confidence()).reversed());
        double sum50 = 0;
        double sumAll = 0;
        for (int cls : new TreeSet<>(labelsPerClass.keySet())) {
            int labels = labelsPerClass.get(cls);
            List<Scored> ofClass = ordered.stream().filter(s -> s.classId() == cls).toList();
            if (ofClass.isEmpty()) {
                continue;
            }
            for (int t = 0; t < IOU_THRESHOLDS.length; t++) {
                double ap = averagePrecision(ofClass, labels, t);
                sumAll += ap;
                if (t == 0) {
                    sum50 += ap;
                }
            }
        }
        int classes = labelsPerClass.size();
        int labelCount = labelsPerClass.values().stream().mapToInt(Integer::intValue).sum();
        return new Result(classes == 0 ? 0 : sum50 / classes,
                classes == 0 ? 0 : sumAll / (classes * IOU_THRESHOLDS.length), classes, labelCount, scored.size());
    }

    private static double averagePrecision(List<Scored> ofClass, int labels, int threshold) {
        int n = ofClass.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        int tp = 0;
        for (int i = 0; i < n; i++) {
            if (ofClass.get(i).correct()[threshold]) {
                tp++;
            }
            recall[i] = tp / (labels + 1e-16);
            precision[i] = tp / (double) (i + 1);
        }
        return interpolatedArea(recall, precision);
    }

    /** The area under the precision envelope, sampled at 101 recall points and integrated by trapezoids. */
    static double interpolatedArea(double[] recall, double[] precision) {
        int n = recall.length;
        double[] mrec = new double[n + 2];
        double[] mpre = new double[n + 2];
        mrec[0] = 0.0;
        mpre[0] = 1.0;
        System.arraycopy(recall, 0, mrec, 1, n);
        System.arraycopy(precision, 0, mpre, 1, n);
        mrec[n + 1] = 1.0;
        mpre[n + 1] = 0.0;
        for (int i = n; i >= 0; i--) {
            mpre[i] = Math.max(mpre[i], mpre[i + 1]);
        }
        double area = 0;
        double previousX = 0;
        double previousY = interpolate(0.0, mrec, mpre);
        for (int k = 1; k < RECALL_POINTS; k++) {
            double x = k / (double) (RECALL_POINTS - 1);
            double y = interpolate(x, mrec, mpre);
            area += (x - previousX) * (y + previousY) / 2;
            previousX = x;
            previousY = y;
        }
        return area;
    }

    /** numpy.interp: linear between the last xp at or below x and the next one; the ends hold their values. */
    static double interpolate(double x, double[] xp, double[] fp) {
        int last = xp.length - 1;
        if (x <= xp[0]) {
            return x == xp[0] ? fp[rightmostAtOrBelow(x, xp)] : fp[0];
        }
        if (x >= xp[last]) {
            return fp[last];
        }
        int j = rightmostAtOrBelow(x, xp);
        return fp[j] + (x - xp[j]) * (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
    }

    private static int rightmostAtOrBelow(double x, double[] xp) {
        int lo = 0;
        int hi = xp.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (xp[mid] <= x) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo - 1;
    }
}
