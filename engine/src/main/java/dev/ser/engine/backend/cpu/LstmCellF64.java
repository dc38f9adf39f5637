package dev.ser.engine.backend.cpu;

/**
 * The pointwise half of one LSTM step for one sequence (one batch row), float64, fused: the matrix
 * products are done by the caller with {@link Gemm}; this file is everything between them.
 * {@link LstmCellF32} is the same code in float32, line for line.
 *
 * <p>Gate order i, f, g, o in the 4H pre-activations {@code a = x W_ih^T + b_ih + h W_hh^T + b_hh}:
 * <pre>
 *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
 *   c_t = f * c_{t-1} + i * g          h_t = o * tanh(c_t)
 * </pre>
 * The backward pass (derivation in docs/engine.md (section 4)) needs i, f, g, o, c_{t-1} and tanh(c_t); the
 * forward stores exactly those when training, so the backward recomputes no transcendental.
 */
final class LstmCellF64 {
    private LstmCellF64() {}

    /**
     * One step for one row.
     *
     * @param gates  {@code [4H]} at gOff: in, the pre-activations; out, the activated i, f, g, o
     * @param h      {@code [H]} at sOff: in h_{t-1}, out h_t (c likewise)
     * @param y      {@code [H]} at yOff: receives h_t (the layer output at this step)
     * @param hPrev  {@code [H]} at saveOff receives h_{t-1}, cPrev c_{t-1}, tanhC tanh(c_t);
     *               all three null for inference
     */
    static void forward(int hidden, double[] gates, int gOff, double[] h, double[] c, int sOff,
                        double[] y, int yOff, double[] hPrev, double[] cPrev, double[] tanhC, int saveOff) {
        boolean save = tanhC != null;
        for (int j = 0; j < hidden; j++) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            double i = sigmoid(gates[gi]);
            double f = sigmoid(gates[gf]);
            double g = Math.tanh(gates[gg]);
            double o = sigmoid(gates[go]);
            double cOld = c[sOff + j];
            double cNew = f * cOld + i * g;
            double tc = Math.tanh(cNew);
            double hNew = o * tc;
            if (save) {
                hPrev[saveOff + j] = h[sOff + j];
                cPrev[saveOff + j] = cOld;
                tanhC[saveOff + j] = tc;
                gates[gi] = i;
                gates[gf] = f;
                gates[gg] = g;
                gates[go] = o;
            }
            c[sOff + j] = cNew;
            h[sOff + j] = hNew;
            y[yOff + j] = hNew;
        }
    }

    /**
     * Backward through one step for one row (docs/engine.md (section 4), "one step").
     *
     * @param gates {@code [4H]} at gOff: in, the saved activations i, f, g, o; out, dL/da, the
     *              gradient of the pre-activations (what the GEMMs for dW, dh_{t-1} and dx consume)
     * @param dh    {@code [H]} at sOff: dL/dh_t arriving from later steps (and h_n); read only here,
     *              the caller overwrites it with dgates W_hh afterwards
     * @param dc    {@code [H]} at sOff: in dL/dc_t from later steps (and c_n), out dL/dc_{t-1}
     * @param dy    {@code [H]} at dyOff: dL/dy_t, the gradient of this step's output
     */
    static void backward(int hidden, double[] gates, int gOff, double[] cPrev, double[] tanhC, int saveOff,
                         double[] dh, double[] dc, int sOff, double[] dy, int dyOff) {
        for (int j = 0; j < hidden; j++) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            double i = gates[gi], f = gates[gf], g = gates[gg], o = gates[go];
            double tc = tanhC[saveOff + j];
            double dhT = dh[sOff + j] + dy[dyOff + j];
            // h_t = o * tanh(c_t): c_t receives from h_t through tanh, plus what c_{t+1} sent back.
            double dcT = dc[sOff + j] + dhT * o * (1 - tc * tc);
            // c_t = f * c_{t-1} + i * g, then each gate through its activation's derivative.
            gates[gi] = dcT * g * i * (1 - i);
            gates[gf] = dcT * cPrev[saveOff + j] * f * (1 - f);
            gates[gg] = dcT * i * (1 - g * g);
            gates[go] = dhT * tc * o * (1 - o);
            dc[sOff + j] = dcT * f;
        }
    }

    /**
     * 1/(1+e^-x). No branch needed: for x below about -709 e^-x overflows to +Inf and the quotient is
     * exactly 0, the correctly rounded answer; elsewhere 1+e^-x loses nothing relative.
     */
    static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }
}
