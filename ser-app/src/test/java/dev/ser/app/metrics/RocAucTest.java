package dev.ser.app.metrics;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Expected numbers from scikit-learn 1.2.1; each test names the call. */
class RocAucTest {
    static final double TOL = 1e-12;
    // Three samples tie at 0.4 (two positive, one negative), two at 0.35 (both negative), two at 0.1 (one each).
    static final double[] TIED_SCORES = {0.1, 0.4, 0.35, 0.8, 0.4, 0.4, 0.9, 0.1, 0.65, 0.35};
    static final boolean[] TIED_POSITIVE = {false, true, false, true, false, true, true, true, false, false};

    @Test
    void tiesMatchSklearn() {
        // roc_auc_score([0,1,0,1,0,1,1,1,0,0], [0.1,0.4,0.35,0.8,0.4,0.4,0.9,0.1,0.65,0.35]) == 0.7000000000000001
        assertEquals(0.7000000000000001, RocAuc.binary(TIED_SCORES, TIED_POSITIVE), TOL);
    }

    @Test
    void curveMatchesSklearnRocCurveWithoutDroppingPoints() {
        // roc_curve(y, s, drop_intermediate=False) with y, s as in tiesMatchSklearn; sklearn 1.2.1's first
        // threshold is max+1 = 1.9, ours (and sklearn >= 1.3's) is +inf.
        RocAuc.Curve c = RocAuc.curve(TIED_SCORES, TIED_POSITIVE);
        assertArrayEquals(new double[] {0.0, 0.0, 0.0, 0.2, 0.4, 0.8, 1.0}, c.fpr(), TOL);
        assertArrayEquals(new double[] {0.0, 0.2, 0.4, 0.4, 0.8, 0.8, 1.0}, c.tpr(), TOL);
        assertArrayEquals(new double[] {Double.POSITIVE_INFINITY, 0.9, 0.8, 0.65, 0.4, 0.35, 0.1}, c.thresholds(), 0.0);
    }

    @Test
    void perfectInvertedAndAllTied() {
        // roc_auc_score([0,0,1,1], [0.1,0.2,0.8,0.9]) == 1.0; roc_auc_score([1,1,0,0], [0.1,0.2,0.8,0.9]) == 0.0;
        // roc_auc_score([0,1,0,1,1], [0.5]*5) == 0.5
        double[] s = {0.1, 0.2, 0.8, 0.9};
        assertEquals(1.0, RocAuc.binary(s, new boolean[] {false, false, true, true}), 0.0);
        assertEquals(0.0, RocAuc.binary(s, new boolean[] {true, true, false, false}), 0.0);
        assertEquals(0.5, RocAuc.binary(new double[5], new boolean[] {false, true, false, true, true}), 0.0);
        RocAuc.Curve allTied = RocAuc.curve(new double[5], new boolean[] {false, true, false, true, true});
        assertEquals(2, allTied.size(), "one point for the single distinct score, plus the origin");
    }

    @Test
    void equalsMannWhitneyUWithAverageRanksOnRandomTiedScores() {
        Random rnd = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rnd.nextInt(60);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                s[i] = rnd.nextInt(8) / 8.0; // few distinct values: many ties
                y[i] = rnd.nextBoolean();
            }
            y[0] = true;
            y[1] = false;
            assertEquals(mannWhitneyAuc(s, y), RocAuc.binary(s, y), 1e-12, "trial " + trial);
        }
    }

    /** The reference: U = (sum of positive ranks) - P(P+1)/2 with average ranks for ties; AUC = U / (P N). */
    static double mannWhitneyAuc(double[] s, boolean[] y) {
        int n = s.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Arrays.sort(order, (a, b) -> Double.compare(s[a], s[b]));
        double[] rank = new double[n];
        for (int lo = 0; lo < n; ) {
            int hi = lo;
            while (hi + 1 < n && s[order[hi + 1]] == s[order[lo]]) hi++;
            for (int k = lo; k <= hi; k++) rank[order[k]] = (lo + hi) / 2.0 + 1;
            lo = hi + 1;
        }
        double rankSum = 0;
        long pos = 0;
        for (int i = 0; i < n; i++) {
            if (y[i]) {
                rankSum += rank[i];
                pos++;
            }
        }
        long neg = n - pos;
        return (rankSum - pos * (pos + 1) / 2.0) / (pos * neg);
    }

    @Test
    void oneClassOnlyThrowsLikeSklearn() {
        // sklearn: ValueError "Only one class present in y_true. ROC AUC score is not defined in that case."
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.binary(new double[] {0.1, 0.2}, new boolean[] {true, true}));
        assertTrue(e.getMessage().contains("only one class"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RocAuc.binary(new double[] {Double.NaN, 0.2}, new boolean[] {true, false}));
    }

    /** rng = np.random.default_rng(7); P = rng.dirichlet([1,1,1,1], size=12).round(3); P[:,3] = (1 - P[:,:3].sum(1)).round(3) */
    static final double[][] P = {
            {0.221, 0.321, 0.178, 0.28}, {0.032, 0.528, 0.002, 0.438}, {0.333, 0.174, 0.313, 0.18},
            {0.221, 0.263, 0.462, 0.054}, {0.615, 0.144, 0.068, 0.173}, {0.035, 0.028, 0.574, 0.363},
            {0.502, 0.109, 0.119, 0.27}, {0.284, 0.012, 0.158, 0.546}, {0.216, 0.474, 0.003, 0.307},
            {0.049, 0.07, 0.605, 0.276}, {0.479, 0.22, 0.283, 0.018}, {0.104, 0.082, 0.394, 0.42}};
    static final List<String> FOUR = List.of("neutral", "happy", "sad", "angry");

    @Test
    void oneVsRestMatchesSklearn() {
        // y = [0,1,2,3,0,1,2,3,0,1,2,2]; roc_auc_score(y, P, multi_class="ovr", average=None) and average="macro"
        int[] y = {0, 1, 2, 3, 0, 1, 2, 3, 0, 1, 2, 2};
        OneVsRestAuc ovr = OneVsRestAuc.of(P, y, FOUR);
        assertArrayEquals(new double[] {0.6481481481481481, 0.40740740740740744, 0.5625, 0.55}, ovr.auc(), TOL);
        assertEquals(0.5420138888888889, ovr.macro(), TOL);
        assertTrue(ovr.notes().isEmpty());
    }

    @Test
    void oneVsRestClassAbsentFromYTrueIsNaNAndLeftOutOfMacro() {
        // y2 = [0,1,2,2,0,1,2,2,0,1,2,2] (no 'angry'): sklearn's ovr call raises, so per class:
        // [roc_auc_score(y2 == c, P[:, c]) for c in range(3)] and np.mean of them
        int[] y = {0, 1, 2, 2, 0, 1, 2, 2, 0, 1, 2, 2};
        OneVsRestAuc ovr = OneVsRestAuc.of(P, y, FOUR);
        assertEquals(0.6481481481481481, ovr.auc()[0], TOL);
        assertEquals(0.40740740740740744, ovr.auc()[1], TOL);
        assertEquals(0.6111111111111112, ovr.auc()[2], TOL);
        assertTrue(Double.isNaN(ovr.auc()[3]));
        assertEquals(0.5555555555555556, ovr.macro(), TOL);
        assertEquals(1, ovr.notes().size());
        assertTrue(ovr.notes().get(0).contains("'angry'") && ovr.notes().get(0).contains("no true samples"), ovr.notes().get(0));
    }
}
