package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;

import static dev.ser.engine.backend.cpu.LstmTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The float64 LSTM against PyTorch (tensor by tensor, forward and every gradient) and against
 * central differences; plus the equalities between its entry points (infer, step, threads).
 */
class LstmF64Test {

    /**
     * PyTorch and we compute the same float64 function with different summation orders, so the
     * differences are a few ulps amplified by T steps of recurrence: 1e-9 relative is far above that
     * and far below any real bug. The floor keeps exact-zero entries (padding) from dividing by 0.
     */
    static final double PARITY_TOL = 1e-9, PARITY_FLOOR = 1e-6;

    @ParameterizedTest
    @ValueSource(strings = {"lstm_single_layer", "lstm_initial_state", "lstm_stacked_bidirectional_packed"})
    void matchesPyTorch(String name) throws Exception {
        SafeTensors st = SafeTensors.read(Path.of("src/test/resources/reference/torch/" + name + ".safetensors"));
        Map<String, Object> c = Json.parseObject(st.metadata().get("case"));
        LstmConfig cfg = new LstmConfig(((Number) c.get("input_size")).intValue(), ((Number) c.get("hidden_size")).intValue(),
                ((Number) c.get("num_layers")).intValue(), (Boolean) c.get("bidirectional"));
        int[] xs = st.shape("input.x");
        int batch = xs[0], steps = xs[1];
        double[][] w = new double[cfg.numWeights()][];
        for (int k = 0; k < w.length; k++) w[k] = st.doubles("lstm." + cfg.weightName(k));
        double[] x = st.doubles("input.x");
        int[] lengths = st.has("input.lengths") ? st.ints("input.lengths") : null;
        double[] h0 = st.has("input.h0") ? st.doubles("input.h0") : null;
        double[] c0 = st.has("input.c0") ? st.doubles("input.c0") : null;
        int states = cfg.numLayers() * cfg.numDirections() * batch * cfg.hiddenSize();

        LstmF64 lstm = new LstmF64(cfg);
        double[] y = new double[batch * steps * cfg.outputSize()], hN = new double[states], cN = new double[states];
        LstmF64.Workspace ws = lstm.forward(w, x, batch, steps, lengths, h0, c0, null, y, hN, cN);

        double[] dx = new double[x.length], dh0 = new double[states], dc0 = new double[states];
        double[][] dw = new double[cfg.numWeights()][];
        for (int k = 0; k < dw.length; k++) dw[k] = new double[w[k].length];
        lstm.backward(ws, st.doubles("input.ry"), st.doubles("input.rh"), st.doubles("input.rc"), dx, dh0, dc0, dw);

        StringBuilder report = new StringBuilder(name + " (float64 vs PyTorch, |got-want|/max(|want|," + PARITY_FLOOR + ")):\n");
        double worstAll = 0;
        worstAll = Math.max(worstAll, check(report, "output.y", y, st));
        worstAll = Math.max(worstAll, check(report, "output.h_n", hN, st));
        worstAll = Math.max(worstAll, check(report, "output.c_n", cN, st));
        worstAll = Math.max(worstAll, check(report, "grad.input.x", dx, st));
        if (h0 != null) {
            worstAll = Math.max(worstAll, check(report, "grad.input.h0", dh0, st));
            worstAll = Math.max(worstAll, check(report, "grad.input.c0", dc0, st));
        }
        for (int k = 0; k < dw.length; k++) {
            worstAll = Math.max(worstAll, check(report, "grad.lstm." + cfg.weightName(k), dw[k], st));
        }
        double loss = dot(y, st.doubles("input.ry")) + dot(hN, st.doubles("input.rh")) + dot(cN, st.doubles("input.rc"));
        worstAll = Math.max(worstAll, check(report, "output.loss", new double[] {loss}, st));
        System.out.print(report);
        assertTrue(worstAll <= PARITY_TOL, report.toString());
    }

    private static double check(StringBuilder report, String name, double[] got, SafeTensors st) {
        Worst w = worst(got, st.doubles(name), PARITY_FLOOR);
        report.append(String.format("  %-32s %s%n", name, w));
        return w.rel();
    }

    /**
     * Every input and weight element of a small stacked bidirectional ragged case with dropout,
     * perturbed by +-eps. With eps = 1e-5 the truncation error is ~eps^2 * |f'''| ~ 1e-10 and the
     * rounding error ~1e-16 * |loss| / eps ~ 1e-11, so 1e-6 relative (floor 1e-4 for gradients
     * that are nearly zero) leaves a wide margin while a wrong term would be off by O(1).
     */
    @Test
    void gradientsMatchCentralDifferences() {
        LstmConfig cfg = new LstmConfig(3, 4, 2, true);
        int batch = 3, steps = 5;
        int[] lengths = {5, 2, 4};
        Random rnd = new Random(42);
        double[][] w = weights(cfg, rnd);
        for (double[] a : w) for (int k = 0; k < a.length; k++) a[k] *= 2; // livelier gates than init scale
        int states = cfg.numLayers() * cfg.numDirections() * batch * cfg.hiddenSize();
        int outs = batch * steps * cfg.outputSize();
        double[] x = uniform(rnd, batch * steps * cfg.inputSize(), 1);
        double[] h0 = uniform(rnd, states, 0.5), c0 = uniform(rnd, states, 0.5);
        double[][] masks = {dropoutMask(rnd, outs, 0.3)};
        double[] ry = uniform(rnd, outs, 1), rh = uniform(rnd, states, 1), rc = uniform(rnd, states, 1);
        LstmF64 lstm = new LstmF64(cfg);

        double[] y = new double[outs], hN = new double[states], cN = new double[states];
        LstmF64.Workspace ws = lstm.forward(w, x, batch, steps, lengths, h0, c0, masks, y, hN, cN);
        double[] dx = new double[x.length], dh0 = new double[states], dc0 = new double[states];
        double[][] dw = new double[w.length][];
        for (int k = 0; k < w.length; k++) dw[k] = new double[w[k].length];
        lstm.backward(ws, ry, rh, rc, dx, dh0, dc0, dw);

        java.util.function.DoubleSupplier loss = () -> {
            double[] yy = new double[outs], hh = new double[states], cc = new double[states];
            lstm.forward(w, x, batch, steps, lengths, h0, c0, masks, yy, hh, cc);
            return dot(yy, ry) + dot(hh, rh) + dot(cc, rc);
        };
        StringBuilder report = new StringBuilder("central differences, 2-layer bidirectional, lengths {5,2,4}, dropout 0.3:\n");
        double worstAll = 0;
        worstAll = Math.max(worstAll, gradCheck(report, "x", x, dx, loss));
        worstAll = Math.max(worstAll, gradCheck(report, "h0", h0, dh0, loss));
        worstAll = Math.max(worstAll, gradCheck(report, "c0", c0, dc0, loss));
        for (int k = 0; k < w.length; k++) worstAll = Math.max(worstAll, gradCheck(report, cfg.weightName(k), w[k], dw[k], loss));
        System.out.print(report);
        assertTrue(worstAll <= 1e-6, report.toString());
    }

    private static double gradCheck(StringBuilder report, String name, double[] param, double[] grad,
                                    java.util.function.DoubleSupplier loss) {
        double eps = 1e-5;
        double[] numeric = new double[param.length];
        for (int k = 0; k < param.length; k++) {
            double saved = param[k];
            param[k] = saved + eps;
            double up = loss.getAsDouble();
            param[k] = saved - eps;
            double down = loss.getAsDouble();
            param[k] = saved;
            numeric[k] = (up - down) / (2 * eps);
        }
        Worst w = worst(grad, numeric, 1e-4);
        report.append(String.format("  %-20s %s%n", name, w));
        return w.rel();
    }

    /** infer (no workspace), forward, 2-thread batch split and T calls of step() agree. */
    @Test
    void entryPointsAgree() {
        Random rnd = new Random(7);
        LstmConfig uni = new LstmConfig(5, 6, 2, false);
        int batch = 5, steps = 7;
        int states = 2 * batch * 6, outs = batch * steps * 6;
        double[][] w = weights(uni, rnd);
        double[] x = uniform(rnd, batch * steps * 5, 1), h0 = uniform(rnd, states, 0.5), c0 = uniform(rnd, states, 0.5);

        double[] yF = new double[outs], hF = new double[states], cF = new double[states];
        new LstmF64(uni).forward(w, x, batch, steps, null, h0, c0, null, yF, hF, cF);
        double[] yI = new double[outs], hI = new double[states], cI = new double[states];
        new LstmF64(uni, 2).infer(w, x, batch, steps, null, h0, c0, yI, hI, cI);
        assertTrue(worst(yI, yF, 1e-6).rel() < 1e-12 && worst(hI, hF, 1e-6).rel() < 1e-12 && worst(cI, cF, 1e-6).rel() < 1e-12);

        // Streaming: feed x one step at a time; x and y are [B, T, .], step wants [B, .].
        double[] h = h0.clone(), c = c0.clone(), xt = new double[batch * 5], yt = new double[batch * 6];
        LstmF64 lstm = new LstmF64(uni);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) System.arraycopy(x, (b * steps + t) * 5, xt, b * 5, 5);
            lstm.step(w, xt, batch, h, c, yt);
            for (int b = 0; b < batch; b++) {
                for (int j = 0; j < 6; j++) {
                    assertTrue(Math.abs(yt[b * 6 + j] - yF[(b * steps + t) * 6 + j]) < 1e-12, "step " + t);
                }
            }
        }
        assertTrue(worst(h, hF, 1e-6).rel() < 1e-12 && worst(c, cF, 1e-6).rel() < 1e-12);
    }
}
