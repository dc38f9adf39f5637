package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;

import java.util.Random;

/** Helpers shared by the LSTM tests: random data and the worst-element error report. */
final class LstmTestSupport {
    private LstmTestSupport() {}

    /** Worst element of |got - want| / max(|want|, floor), with where it happened. */
    record Worst(double rel, int index, double got, double want) {
        @Override public String toString() {
            return String.format("%.3e at [%d] (got %.17g, want %.17g)", rel, index, got, want);
        }
    }

    static Worst worst(double[] got, double[] want, double floor) {
        if (got.length != want.length) throw new AssertionError("length " + got.length + " != " + want.length);
        Worst w = new Worst(0, -1, 0, 0);
        for (int k = 0; k < got.length; k++) {
            double rel = Math.abs(got[k] - want[k]) / Math.max(Math.abs(want[k]), floor);
            if (!(rel <= w.rel())) w = new Worst(rel, k, got[k], want[k]); // NaN counts as worst
        }
        return w;
    }

    static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) d[k] = a[k];
        return d;
    }

    static float[] toFloat(double[] a) {
        float[] f = new float[a.length];
        for (int k = 0; k < a.length; k++) f[k] = (float) a[k];
        return f;
    }

    static double[] uniform(Random rnd, int n, double scale) {
        double[] a = new double[n];
        for (int k = 0; k < n; k++) a[k] = scale * (2 * rnd.nextDouble() - 1);
        return a;
    }

    /** Weights like PyTorch's init: U(-1/sqrt(H), 1/sqrt(H)). */
    static double[][] weights(LstmConfig cfg, Random rnd) {
        double[][] w = new double[cfg.numWeights()][];
        for (int k = 0; k < w.length; k++) w[k] = uniform(rnd, cfg.weightElements(k), 1 / Math.sqrt(cfg.hiddenSize()));
        return w;
    }

    /** Inverted-dropout mask: 0 with probability p, else 1/(1-p). */
    static double[] dropoutMask(Random rnd, int n, double p) {
        double[] m = new double[n];
        for (int k = 0; k < n; k++) m[k] = rnd.nextDouble() < p ? 0 : 1 / (1 - p);
        return m;
    }

    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int k = 0; k < a.length; k++) s += a[k] * b[k];
        return s;
    }
}
