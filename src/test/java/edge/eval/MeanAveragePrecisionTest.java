package edge.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import edge.detect.Box;
import edge.detect.Detection;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Expected values follow Ultralytics' validator (match_predictions, ap_per_class, compute_ap): the precision
 * envelope is sampled with numpy.interp at 101 recall points and integrated with the trapezoid rule. Because the
 * envelope is closed with (recall 1, precision 0) and numpy.interp at x == xp[-1] returns fp[-1], the last sample is
 * always 0, so a perfect class scores 1 - 0.01 / 2 = 0.995, not 1.0 (Ultralytics' well-known ceiling).
 */
class MeanAveragePrecisionTest {

    private static final double EPS = 1e-12;
    private static final double PERFECT = 0.995;

    private static Detection det(int cls, float conf, float x1, float y1, float x2, float y2) {
        return new Detection(cls, "c" + cls, conf, new Box(x1, y1, x2, y2));
    }

    private static GroundTruth label(int cls, float x1, float y1, float x2, float y2) {
        return new GroundTruth(cls, new Box(x1, y1, x2, y2));
    }

    private static boolean[] row(boolean... values) {
        return values;
    }

    @Test
    void perfectDetectionsScoreTheCeiling() {
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 10, 10, 50, 50), det(1, 0.8f, 100, 100, 200, 150)),
                List.of(label(0, 10, 10, 50, 50), label(1, 100, 100, 200, 150)));
        map.add(List.of(det(0, 0.7f, 0, 0, 30, 30)), List.of(label(0, 0, 0, 30, 30)));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(PERFECT, r.map50(), EPS);
        assertEquals(PERFECT, r.map5095(), EPS);
        assertEquals(2, r.classes());
        assertEquals(3, r.labels());
        assertEquals(3, r.detections());
    }

    @Test
    void falsePositiveRankedAboveTruePositiveHalvesAp() {
        // recall [0, 1], precision [0, 0.5]; envelope 0.5 on [0, 1) and 0 at 1:
        // 99 * 0.01 * 0.5 + 0.01 * (0.5 + 0) / 2 = 0.4975, i.e. 0.4975 below the 0.995 of the TP alone
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 300, 300, 340, 340), det(0, 0.8f, 10, 10, 50, 50)),
                List.of(label(0, 10, 10, 50, 50)));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(0.4975, r.map50(), EPS);
        assertEquals(0.4975, r.map5095(), EPS);
        assertEquals(PERFECT - 0.4975, PERFECT - r.map50(), EPS);
    }

    @Test
    void falsePositiveRankedBelowAllTruePositivesCostsNothing() {
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 10, 10, 50, 50), det(0, 0.8f, 300, 300, 340, 340)),
                List.of(label(0, 10, 10, 50, 50)));
        assertEquals(PERFECT, map.compute().map50(), EPS);
    }

    @Test
    void falsePositiveBetweenTwoTruePositives() {
        // recall [.5, .5, 1], precision [1, .5, 2/3]; envelope 1 on [0, .5), 2/3 on [.5, 1), 0 at 1:
        // 49 * .01 + .01 * (1 + 2/3) / 2 + 49 * .01 * 2/3 + .01 * (2/3) / 2 = 0.828333...
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 10, 10, 50, 50), det(0, 0.8f, 300, 300, 340, 340),
                        det(0, 0.7f, 100, 100, 150, 150)),
                List.of(label(0, 10, 10, 50, 50), label(0, 100, 100, 150, 150)));
        double expected = 0.49 + 0.01 * (1 + 2.0 / 3) / 2 + 0.49 * 2.0 / 3 + 0.01 * (2.0 / 3) / 2;
        assertEquals(expected, map.compute().map50(), EPS);
        assertEquals(0.8283333333333333, map.compute().map50(), 1e-12);
    }

    @Test
    void higherConfidenceKeepsTheLabelEvenWithLowerIou() {
        // label [0,0,100,100]; A (0.9) has IoU 0.62, B (0.8) has IoU 0.88.
        // Confidence matching: A is the TP at 0.50..0.60; greedy IoU matching would give it to B.
        GroundTruth l = label(0, 0, 0, 100, 100);
        Detection a = det(0, 0.9f, 0, 0, 100, 62);
        Detection b = det(0, 0.8f, 0, 0, 100, 88);
        boolean[][] correct = MeanAveragePrecision.match(List.of(a, b), List.of(l));
        //                            .50   .55   .60   .65    .70    .75    .80    .85    .90    .95
        assertArrayEquals(row(true, true, true, false, false, false, false, false, false, false), correct[0]);
        assertArrayEquals(row(false, false, false, true, true, true, true, true, false, false), correct[1]);

        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(a, b), List.of(l));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(PERFECT, r.map50(), EPS, "greedy IoU matching would give 0.4975");
        // 3 thresholds TP-then-FP (0.995), 5 thresholds FP-then-TP (0.4975), 2 thresholds no TP (0)
        assertEquals((3 * PERFECT + 5 * 0.4975) / 10, r.map5095(), EPS);
        assertEquals(0.54725, r.map5095(), EPS);
    }

    @Test
    void aDetectionWhoseBestLabelIsTakenDoesNotFallBackToAnother() {
        // L1 = [0,0,100,100], L2 = [20,0,120,100]. A = L1 (conf 0.9). B = [5,0,105,100] (conf 0.8):
        // IoU(B, L1) = 95/105 = 0.905, IoU(B, L2) = 85/115 = 0.739. B's best label is L1, which A keeps:
        // B is a false positive even though L2 is free and overlaps it above 0.5.
        GroundTruth l1 = label(0, 0, 0, 100, 100);
        GroundTruth l2 = label(0, 20, 0, 120, 100);
        Detection a = det(0, 0.9f, 0, 0, 100, 100);
        Detection b = det(0, 0.8f, 5, 0, 105, 100);
        boolean[][] correct = MeanAveragePrecision.match(List.of(a, b), List.of(l1, l2));
        for (int t = 0; t < MeanAveragePrecision.IOU_THRESHOLDS.length; t++) {
            assertTrue(correct[0][t], "A at threshold " + t);
        }
        assertFalse(correct[1][0], "B at 0.50");
        assertFalse(correct[1][4], "B at 0.70");

        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(a, b), List.of(l1, l2));
        // 2 labels, TP then FP: recall [.5, .5], precision [1, .5] -> 0.49 + 0.0075 + 0.125
        assertEquals(0.6225, map.compute().map50(), EPS);
    }

    @Test
    void eachLabelMatchesAtMostOneDetection() {
        GroundTruth l = label(0, 0, 0, 100, 100);
        Detection a = det(0, 0.9f, 0, 0, 100, 100);
        Detection b = det(0, 0.8f, 0, 0, 100, 100);
        boolean[][] correct = MeanAveragePrecision.match(List.of(a, b), List.of(l));
        for (int t = 0; t < MeanAveragePrecision.IOU_THRESHOLDS.length; t++) {
            assertTrue(correct[0][t]);
            assertFalse(correct[1][t]);
        }
    }

    @Test
    void classMismatchNeverMatches() {
        GroundTruth l = label(0, 0, 0, 100, 100);
        Detection wrongClass = det(1, 0.9f, 0, 0, 100, 100);
        boolean[][] correct = MeanAveragePrecision.match(List.of(wrongClass), List.of(l));
        for (boolean c : correct[0]) {
            assertFalse(c);
        }
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(wrongClass), List.of(l));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(0.0, r.map50(), 0.0);
        assertEquals(0.0, r.map5095(), 0.0);
        assertEquals(1, r.classes());
    }

    @Test
    void classWithLabelsButNoDetectionsCountsAsZero() {
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 0, 0, 100, 100)),
                List.of(label(0, 0, 0, 100, 100), label(1, 200, 200, 300, 300)));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(2, r.classes());
        assertEquals(PERFECT / 2, r.map50(), EPS);
        assertEquals(PERFECT / 2, r.map5095(), EPS);
    }

    @Test
    void detectionsOfClassesWithoutLabelsAreIgnored() {
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 0, 0, 100, 100), det(7, 0.95f, 200, 200, 300, 300)),
                List.of(label(0, 0, 0, 100, 100)));
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(1, r.classes());
        assertEquals(PERFECT, r.map50(), EPS);
        assertEquals(2, r.detections());
    }

    @Test
    void detectionsAreRankedAcrossImages() {
        // image 1: a TP at 0.6; image 2: a FP at 0.9. Ranked globally the FP comes first.
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.6f, 0, 0, 100, 100)), List.of(label(0, 0, 0, 100, 100)));
        map.add(List.of(det(0, 0.9f, 0, 0, 100, 100)), List.of());
        assertEquals(0.4975, map.compute().map50(), EPS);
    }

    @Test
    void noLabelsGiveZero() {
        MeanAveragePrecision map = new MeanAveragePrecision();
        map.add(List.of(det(0, 0.9f, 0, 0, 10, 10)), List.of());
        MeanAveragePrecision.Result r = map.compute();
        assertEquals(0, r.classes());
        assertEquals(0.0, r.map50(), 0.0);
    }

    @Test
    void interpolateFollowsNumpyInterp() {
        // numpy.interp([-1, 0, .5, 1, 1.5, 2, 3], [0, 1, 1, 2], [0, 10, 20, 30]) = [0, 0, 5, 20, 25, 30, 30]
        double[] xp = {0, 1, 1, 2};
        double[] fp = {0, 10, 20, 30};
        assertEquals(0.0, MeanAveragePrecision.interpolate(-1, xp, fp), 0.0);
        assertEquals(0.0, MeanAveragePrecision.interpolate(0, xp, fp), 0.0);
        assertEquals(5.0, MeanAveragePrecision.interpolate(0.5, xp, fp), 1e-12);
        assertEquals(20.0, MeanAveragePrecision.interpolate(1, xp, fp), 0.0);
        assertEquals(25.0, MeanAveragePrecision.interpolate(1.5, xp, fp), 1e-12);
        assertEquals(30.0, MeanAveragePrecision.interpolate(2, xp, fp), 0.0);
        assertEquals(30.0, MeanAveragePrecision.interpolate(3, xp, fp), 0.0);
        // numpy.interp([0, .25, .5], [0, 0, 1], [5, 7, 9]) = [7, 7.5, 8]: a repeated first x takes the last value
        double[] xq = {0, 0, 1};
        double[] fq = {5, 7, 9};
        assertEquals(7.0, MeanAveragePrecision.interpolate(0, xq, fq), 0.0);
        assertEquals(7.5, MeanAveragePrecision.interpolate(0.25, xq, fq), 1e-12);
        assertEquals(8.0, MeanAveragePrecision.interpolate(0.5, xq, fq), 1e-12);
        // a repeated last x: at it, the last value
        double[] xr = {0, 1, 1};
        double[] fr = {1, 1, 0};
        assertEquals(0.0, MeanAveragePrecision.interpolate(1, xr, fr), 0.0);
        assertEquals(1.0, MeanAveragePrecision.interpolate(0.99, xr, fr), 1e-12);
    }

    @Test
    void interpolatedAreaOfAPerfectCurve() {
        assertEquals(PERFECT, MeanAveragePrecision.interpolatedArea(new double[] {1.0}, new double[] {1.0}), EPS);
        assertEquals(0.0, MeanAveragePrecision.interpolatedArea(new double[] {0.0}, new double[] {0.0}), EPS);
    }
}
