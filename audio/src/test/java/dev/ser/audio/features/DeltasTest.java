package dev.ser.audio.features;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The Savitzky-Golay weights against their closed forms, and librosa's ParameterError cases. */
class DeltasTest {

    @Test
    void interiorWeightsAreTheClassicRegressionFilters() {
        // Order 1, width 9: slope of the least-squares line, j / sum(j^2) = j / 60.
        double[] w1 = Deltas.weights(9, 1, 1, 4);
        for (int j = -4; j <= 4; j++) assertEquals(j / 60.0, w1[j + 4], 1e-15);
        // Order 2, width 9: second derivative of the least-squares parabola, 2 (j^2 - 20/3) / 308.
        double[] w2 = Deltas.weights(9, 2, 2, 4);
        for (int j = -4; j <= 4; j++) assertEquals(2 * (j * j - 20.0 / 3) / 308, w2[j + 4], 1e-15);
    }

    @Test
    void exactOnPolynomialsIncludingTheEdges() {
        // A quadratic is fitted exactly, so delta = its derivative at every frame, edges included.
        int n = 20;
        float[] x = new float[n];
        for (int t = 0; t < n; t++) x[t] = 0.5f * t * t - 3 * t + 1;
        Matrix m = new Matrix(1, n, x);
        Matrix d1 = Deltas.delta(new Matrix(1, n, lineOf(n)), 9, 1);
        Matrix d2 = Deltas.delta(m, 9, 2);
        for (int t = 0; t < n; t++) {
            assertEquals(2.0, d1.get(0, t), 1e-5, "slope of 2t + 1 at " + t);
            assertEquals(1.0, d2.get(0, t), 1e-5, "curvature of 0.5 t^2 at " + t);
        }
    }

    private static float[] lineOf(int n) {
        float[] x = new float[n];
        for (int t = 0; t < n; t++) x[t] = 2 * t + 1;
        return x;
    }

    @Test
    void raisesLikeLibrosa() {
        Matrix eight = Matrix.zeros(3, 8);
        assertThrows(IllegalArgumentException.class, () -> Deltas.delta(eight, 9, 1), "width > frames");
        assertEquals(9, Deltas.delta(Matrix.zeros(3, 9), 9, 1).cols(), "width == frames is allowed");
        assertThrows(IllegalArgumentException.class, () -> Deltas.delta(Matrix.zeros(1, 20), 4, 1), "even width");
        assertThrows(IllegalArgumentException.class, () -> Deltas.delta(Matrix.zeros(1, 20), 9, 0), "order 0");
    }
}
