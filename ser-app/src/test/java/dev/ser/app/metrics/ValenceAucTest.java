package dev.ser.app.metrics;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ValenceAucTest {
    static final List<String> LABELS =
            List.of("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised", "boredom");

    /** rng = np.random.default_rng(11); P = rng.dirichlet([0.7]*9, size=12).round(3) */
    static final double[][] P = {
            {0.01, 0.108, 0.012, 0.004, 0.536, 0.045, 0.135, 0.011, 0.139},
            {0.235, 0.087, 0.04, 0.022, 0.063, 0.005, 0.054, 0.134, 0.361},
            {0.002, 0.048, 0.468, 0.016, 0.338, 0.041, 0.007, 0.001, 0.079},
            {0.284, 0.005, 0.371, 0.01, 0.05, 0.115, 0.032, 0.042, 0.092},
            {0.188, 0.004, 0.025, 0.185, 0.137, 0.216, 0.012, 0.012, 0.221},
            {0.292, 0.064, 0.036, 0.005, 0.184, 0.111, 0.168, 0.003, 0.137},
            {0.032, 0.036, 0.031, 0.005, 0.543, 0.135, 0.206, 0.01, 0.002},
            {0.19, 0.224, 0.252, 0.012, 0.085, 0.126, 0.027, 0.048, 0.036},
            {0.056, 0.147, 0.027, 0.007, 0.093, 0.013, 0.225, 0.398, 0.034},
            {0.033, 0.276, 0.154, 0.18, 0.08, 0.077, 0.133, 0.062, 0.006},
            {0.081, 0.04, 0.008, 0.038, 0.052, 0.055, 0.003, 0.718, 0.006},
            {0.037, 0.166, 0.049, 0.381, 0.099, 0.025, 0.146, 0.005, 0.091}};
    static final int[] Y = {0, 1, 2, 3, 4, 5, 6, 7, 8, 2, 3, 0};

    @Test
    void matchesSklearnOnRenormalizedPositiveMass() {
        // pos = [1,2,7]; neg = [3,4,5,6,8]; keep = y != 0
        // s = P[:,pos].sum(1) / (P[:,pos].sum(1) + P[:,neg].sum(1)); roc_auc_score(np.isin(y,pos)[keep], s[keep])
        ValenceAuc v = ValenceAuc.of(P, Y, LABELS);
        assertEquals(0.5833333333333334, v.auc(), 1e-12);
        assertEquals(4, v.positives());
        assertEquals(6, v.negatives());
        assertEquals(2, v.excluded());
        assertTrue(v.notes().isEmpty(), v.notes().toString());
    }

    @Test
    void mappingCoversTheCommonLabelSet() {
        assertEquals(ValenceAuc.Valence.POSITIVE, ValenceAuc.valenceOf("Surprised"));
        assertEquals(ValenceAuc.Valence.POSITIVE, ValenceAuc.valenceOf("calm"));
        assertEquals(ValenceAuc.Valence.NEGATIVE, ValenceAuc.valenceOf("boredom"));
        assertEquals(ValenceAuc.Valence.EXCLUDED, ValenceAuc.valenceOf("neutral"));
        assertEquals(9, ValenceAuc.VALENCE.size());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ValenceAuc.valenceOf("ps"));
        assertTrue(e.getMessage().contains("ValenceAuc.VALENCE"), e.getMessage());
    }

    @Test
    void allOneValenceIsNaNWithANote() {
        ValenceAuc v = ValenceAuc.of(new double[][] {{0.2, 0.8}, {0.5, 0.5}, {0.9, 0.1}}, new int[] {0, 1, 1}, List.of("neutral", "sad"));
        assertTrue(Double.isNaN(v.auc()));
        assertEquals(1, v.notes().size(), v.notes().toString());
    }
}
