package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;

import static dev.ser.engine.backend.cpu.LstmTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The float32 LSTM (the one that trains) against the float64 one (itself checked against PyTorch)
 * on fresh random inputs, forward and backward, ragged batch, both directions, dropout.
 */
class LstmF32Test {

    /**
     * float32 rounds at 6e-8 relative; through a dozen steps, a few layers and sums over B*T rows,
     * entries come out within ~1e-7 of the tensor's scale. An entry much smaller than its tensor's
     * largest is a cancellation of terms of the larger size, so its error is on that scale, not on
     * its own: the asserted measure is normwise, max|f32 - f64| / max|f64| per tensor, <= 1e-5.
     * The report also prints the elementwise relative error (floor 1% of the tensor's largest
     * entry), which reaches ~1e-5 on such cancelled entries. A real bug (wrong index, missing term)
     * is off by O(1) on either measure.
     */
    static final double TOL = 1e-5, FLOOR = 1e-2;

    @Test
    void matchesFloat64() {
        check(new LstmConfig(6, 8, 2, true), 5, 11, new int[] {11, 3, 7, 1, 9}, 1);
    }

    @Test
    void matchesFloat64WithTwoThreads() {
        check(new LstmConfig(4, 9, 3, false), 6, 8, new int[] {8, 8, 2, 5, 8, 6}, 2);
    }

    private static void check(LstmConfig cfg, int batch, int steps, int[] lengths, int threads) {
        Random rnd = new Random(1234);
        double[][] w = weights(cfg, rnd);
        int states = cfg.numLayers() * cfg.numDirections() * batch * cfg.hiddenSize();
        int outs = batch * steps * cfg.outputSize();
        double[] x = uniform(rnd, batch * steps * cfg.inputSize(), 1);
        double[] h0 = uniform(rnd, states, 0.5), c0 = uniform(rnd, states, 0.5);
        double[][] masks = new double[cfg.numLayers() - 1][];
        for (int l = 0; l < masks.length; l++) masks[l] = dropoutMask(rnd, outs, 0.25);
        double[] dy = uniform(rnd, outs, 1), dhN = uniform(rnd, states, 1), dcN = uniform(rnd, states, 1);
        // Both versions get the same numbers: round the inputs to float first, so that the
        // comparison measures float32 arithmetic, not float32 inputs.
        for (double[][] group : new double[][][] {w, masks, {x, h0, c0, dy, dhN, dcN}}) {
            for (double[] a : group) for (int k = 0; k < a.length; k++) a[k] = (float) a[k];
        }

        // float64 reference
        double[] y = new double[outs], hN = new double[states], cN = new double[states];
        LstmF64 ref = new LstmF64(cfg);
        LstmF64.Workspace ws = ref.forward(w, x, batch, steps, lengths, h0, c0, masks, y, hN, cN);
        double[] dx = new double[x.length], dh0 = new double[states], dc0 = new double[states];
        double[][] dw = new double[w.length][];
        for (int k = 0; k < w.length; k++) dw[k] = new double[w[k].length];
        ref.backward(ws, dy, dhN, dcN, dx, dh0, dc0, dw);

        // float32, same inputs rounded to float
        float[][] wf = new float[w.length][];
        for (int k = 0; k < w.length; k++) wf[k] = toFloat(w[k]);
        float[][] mf = new float[masks.length][];
        for (int l = 0; l < masks.length; l++) mf[l] = toFloat(masks[l]);
        float[] yf = new float[outs], hNf = new float[states], cNf = new float[states];
        LstmF32 lstm = new LstmF32(cfg, threads);
        LstmF32.Workspace wsf = lstm.forward(wf, toFloat(x), batch, steps, lengths, toFloat(h0), toFloat(c0), mf, yf, hNf, cNf);
        float[] dxf = new float[x.length], dh0f = new float[states], dc0f = new float[states];
        float[][] dwf = new float[w.length][];
        for (int k = 0; k < w.length; k++) dwf[k] = new float[w[k].length];
        lstm.backward(wsf, toFloat(dy), toFloat(dhN), toFloat(dcN), dxf, dh0f, dc0f, dwf);

        StringBuilder report = new StringBuilder(String.format("float32 vs float64, %s, B=%d T=%d, threads=%d, normwise max|f32-f64|/max|f64| and elementwise |f32-f64|/max(|f64|, %g*max|f64|):%n",
                cfg, batch, steps, threads, FLOOR));
        double worstAll = 0;
        worstAll = Math.max(worstAll, line(report, "y", yf, y));
        worstAll = Math.max(worstAll, line(report, "h_n", hNf, hN));
        worstAll = Math.max(worstAll, line(report, "c_n", cNf, cN));
        worstAll = Math.max(worstAll, line(report, "dx", dxf, dx));
        worstAll = Math.max(worstAll, line(report, "dh0", dh0f, dh0));
        worstAll = Math.max(worstAll, line(report, "dc0", dc0f, dc0));
        for (int k = 0; k < w.length; k++) worstAll = Math.max(worstAll, line(report, "d" + cfg.weightName(k), dwf[k], dw[k]));
        System.out.print(report);
        assertTrue(worstAll <= TOL, report.toString());
    }

    private static double line(StringBuilder report, String name, float[] got, double[] want) {
        double scale = 0;
        for (double v : want) scale = Math.max(scale, Math.abs(v));
        Worst w = worst(toDouble(got), want, FLOOR * scale);
        double maxDiff = 0;
        for (int k = 0; k < got.length; k++) maxDiff = Math.max(maxDiff, Math.abs(got[k] - want[k]));
        double normwise = maxDiff / scale;
        report.append(String.format("  %-24s normwise %.3e  elementwise %s%n", name, normwise, w));
        return Double.isNaN(normwise) ? Double.POSITIVE_INFINITY : normwise;
    }
}
