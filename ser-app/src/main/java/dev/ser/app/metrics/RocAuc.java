package dev.ser.app.metrics;

import java.util.Arrays;
import java.util.Comparator;

/**
 * Binary ROC curve and area under it, as scikit-learn's {@code roc_curve} and {@code roc_auc_score}.
 *
 * <p>Samples are sorted by score, highest first, and one curve point is emitted per distinct score, so
 * tied samples move the curve diagonally and the trapezoid under that step gives them half credit. That
 * is why the area equals the Mann-Whitney U statistic with average ranks for ties, divided by
 * (positives x negatives); the tests check both.
 */
public final class RocAuc {
    private RocAuc() {}

    /**
     * The ROC curve as sklearn's {@code roc_curve(y, scores, drop_intermediate=False)}: a point per
     * distinct score, descending thresholds, starting at (0, 0). The first threshold is +Infinity
     * (sklearn >= 1.3; sklearn 1.2 wrote max(score) + 1 there instead).
     */
    public record Curve(double[] fpr, double[] tpr, double[] thresholds) {
        public int size() { return fpr.length; }
    }

    /** Area under the ROC curve; throws when only one class is present, as sklearn does (the area is undefined). */
    public static double binary(double[] scores, boolean[] positive) {
        return area(curve(scores, positive));
    }

    public static Curve curve(double[] scores, boolean[] positive) {
        check(scores, positive);
        int n = scores.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        // Stable, like sklearn's argsort(kind="mergesort") on -score; the order within a tie does not matter anyway.
        Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
        double[] fps = new double[n + 1], tps = new double[n + 1], thr = new double[n + 1];
        thr[0] = Double.POSITIVE_INFINITY;
        int points = 1, tp = 0, fp = 0;
        for (int r = 0; r < n; r++) {
            int i = order[r];
            if (positive[i]) tp++;
            else fp++;
            boolean lastOfTie = r == n - 1 || scores[order[r + 1]] != scores[i];
            if (lastOfTie) {
                tps[points] = tp;
                fps[points] = fp;
                thr[points] = scores[i];
                points++;
            }
        }
        double[] fpr = new double[points], tpr = new double[points];
        for (int k = 0; k < points; k++) {
            fpr[k] = fps[k] / fp;
            tpr[k] = tps[k] / tp;
        }
        return new Curve(fpr, tpr, Arrays.copyOf(thr, points));
    }

    /** Trapezoid rule over the curve, as sklearn's {@code auc(fpr, tpr)}. */
    public static double area(Curve c) {
        double a = 0;
        for (int k = 1; k < c.size(); k++) a += (c.fpr()[k] - c.fpr()[k - 1]) * (c.tpr()[k] + c.tpr()[k - 1]) / 2;
        return a;
    }

    /** Whether the AUC is defined: at least one positive and one negative sample. */
    public static boolean defined(boolean[] positive) {
        boolean anyPos = false, anyNeg = false;
        for (boolean p : positive) {
            anyPos |= p;
            anyNeg |= !p;
        }
        return anyPos && anyNeg;
    }

    private static void check(double[] scores, boolean[] positive) {
        if (scores.length != positive.length) throw new IllegalArgumentException(
                scores.length + " scores but " + positive.length + " labels: pass one score per sample");
        for (int i = 0; i < scores.length; i++) {
            if (Double.isNaN(scores[i])) throw new IllegalArgumentException(
                    "score[" + i + "] is NaN: a diverged model or a 0/0 in the score; ROC needs an ordering of every sample");
        }
        if (!defined(positive)) throw new IllegalArgumentException(
                "only one class present in the labels (" + scores.length + " samples, all "
                        + (scores.length > 0 && positive[0] ? "positive" : "negative")
                        + "): ROC AUC is not defined in that case, as in sklearn; check defined() first");
    }
}
