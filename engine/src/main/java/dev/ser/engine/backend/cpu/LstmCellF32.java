package dev.ser.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The pointwise half of one LSTM step for one sequence (one batch row), float32, fused: the matrix
 * products are done by the caller with {@link Gemm}; this file is everything between them.
 *
 * <p>Gate order i, f, g, o in the 4H pre-activations {@code a = x W_ih^T + b_ih + h W_hh^T + b_hh}:
 * <pre>
 *   i = sigmoid(a_i)  f = sigmoid(a_f)  g = tanh(a_g)  o = sigmoid(a_o)
 *   c_t = f * c_{t-1} + i * g          h_t = o * tanh(c_t)
 * </pre>
 * The backward pass (derivation in docs/engine.md (section 4)) needs i, f, g, o, c_{t-1} and tanh(c_t); the
 * forward stores exactly those when training, so the backward recomputes no transcendental.
 *
 * <p>Two versions, checked against each other in LstmCellF32Test:
 * <ul>
 * <li>{@link #forward}/{@link #backward}: scalar, {@link LstmCellF64} line for line; the
 *     transcendentals are evaluated in double and rounded once (0.5 ulp). The reference.
 * <li>{@link #forwardVector}/{@link #backwardVector}: the Vector API, 8 lanes on AVX2. Scalar
 *     {@code Math.tanh} costs ~15 ns, so at B=32, H=256 the scalar cell took as long as the
 *     recurrent GEMM of the step (~130 ms per layer over T=300); {@link VectorMath}'s exp and tanh
 *     (a few ulp, and the same bits interpreted or compiled, unlike lanewise EXP/TANH) cut that about
 *     tenfold. Used unless {@code -Dser.lstm.scalar=true}.
 * </ul>
 */
final class LstmCellF32 {
    private LstmCellF32() {}

    static final boolean VECTOR = !Boolean.getBoolean("ser.lstm.scalar");
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** The version the LSTM runs: vector unless -Dser.lstm.scalar=true. */
    static void forwardFast(int hidden, float[] gates, int gOff, float[] h, float[] c, int sOff,
                            float[] y, int yOff, float[] hPrev, float[] cPrev, float[] tanhC, int saveOff) {
        if (VECTOR) forwardVector(hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
        else forward(hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
    }

    static void backwardFast(int hidden, float[] gates, int gOff, float[] cPrev, float[] tanhC, int saveOff,
                             float[] dh, float[] dc, int sOff, float[] dy, int dyOff) {
        if (VECTOR) backwardVector(hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
        else backward(hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
    }

    /**
     * One step for one row (scalar reference).
     *
     * @param gates  {@code [4H]} at gOff: in, the pre-activations; out, the activated i, f, g, o
     * @param h      {@code [H]} at sOff: in h_{t-1}, out h_t (c likewise)
     * @param y      {@code [H]} at yOff: receives h_t (the layer output at this step)
     * @param hPrev  {@code [H]} at saveOff receives h_{t-1}, cPrev c_{t-1}, tanhC tanh(c_t);
     *               all three null for inference
     */
    static void forward(int hidden, float[] gates, int gOff, float[] h, float[] c, int sOff,
                        float[] y, int yOff, float[] hPrev, float[] cPrev, float[] tanhC, int saveOff) {
        forwardRange(0, hidden, hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
    }

    private static void forwardRange(int j0, int j1, int hidden, float[] gates, int gOff, float[] h, float[] c, int sOff,
                                     float[] y, int yOff, float[] hPrev, float[] cPrev, float[] tanhC, int saveOff) {
        boolean save = tanhC != null;
        for (int j = j0; j < j1; j++) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            float i = sigmoid(gates[gi]);
            float f = sigmoid(gates[gf]);
            float g = (float) Math.tanh(gates[gg]);
            float o = sigmoid(gates[go]);
            float cOld = c[sOff + j];
            float cNew = f * cOld + i * g;
            float tc = (float) Math.tanh(cNew);
            float hNew = o * tc;
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

    /** {@link #forward} on 8 (AVX2) or 16 lanes at a time; the tail that does not fill a vector runs scalar. */
    static void forwardVector(int hidden, float[] gates, int gOff, float[] h, float[] c, int sOff,
                              float[] y, int yOff, float[] hPrev, float[] cPrev, float[] tanhC, int saveOff) {
        boolean save = tanhC != null;
        int bound = S.loopBound(hidden);
        for (int j = 0; j < bound; j += S.length()) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            FloatVector i = sigmoid(FloatVector.fromArray(S, gates, gi));
            FloatVector f = sigmoid(FloatVector.fromArray(S, gates, gf));
            FloatVector g = VectorMath.tanh(FloatVector.fromArray(S, gates, gg));
            FloatVector o = sigmoid(FloatVector.fromArray(S, gates, go));
            FloatVector cOld = FloatVector.fromArray(S, c, sOff + j);
            FloatVector cNew = f.mul(cOld).add(i.mul(g)); // mul, add (not fma): the scalar's roundings
            FloatVector tc = VectorMath.tanh(cNew);
            FloatVector hNew = o.mul(tc);
            if (save) {
                FloatVector.fromArray(S, h, sOff + j).intoArray(hPrev, saveOff + j);
                cOld.intoArray(cPrev, saveOff + j);
                tc.intoArray(tanhC, saveOff + j);
                i.intoArray(gates, gi);
                f.intoArray(gates, gf);
                g.intoArray(gates, gg);
                o.intoArray(gates, go);
            }
            cNew.intoArray(c, sOff + j);
            hNew.intoArray(h, sOff + j);
            hNew.intoArray(y, yOff + j);
        }
        forwardRange(bound, hidden, hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
    }

    /**
     * Backward through one step for one row (scalar reference; docs/engine.md (section 4), "one step").
     *
     * @param gates {@code [4H]} at gOff: in, the saved activations i, f, g, o; out, dL/da, the
     *              gradient of the pre-activations (what the GEMMs for dW, dh_{t-1} and dx consume)
     * @param dh    {@code [H]} at sOff: dL/dh_t arriving from later steps (and h_n); read only here,
     *              the caller overwrites it with dgates W_hh afterwards
     * @param dc    {@code [H]} at sOff: in dL/dc_t from later steps (and c_n), out dL/dc_{t-1}
     * @param dy    {@code [H]} at dyOff: dL/dy_t, the gradient of this step's output
     */
    static void backward(int hidden, float[] gates, int gOff, float[] cPrev, float[] tanhC, int saveOff,
                         float[] dh, float[] dc, int sOff, float[] dy, int dyOff) {
        backwardRange(0, hidden, hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
    }

    private static void backwardRange(int j0, int j1, int hidden, float[] gates, int gOff, float[] cPrev, float[] tanhC,
                                      int saveOff, float[] dh, float[] dc, int sOff, float[] dy, int dyOff) {
        for (int j = j0; j < j1; j++) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            float i = gates[gi], f = gates[gf], g = gates[gg], o = gates[go];
            float tc = tanhC[saveOff + j];
            float dhT = dh[sOff + j] + dy[dyOff + j];
            // h_t = o * tanh(c_t): c_t receives from h_t through tanh, plus what c_{t+1} sent back.
            float dcT = dc[sOff + j] + dhT * o * (1 - tc * tc);
            // c_t = f * c_{t-1} + i * g, then each gate through its activation's derivative.
            gates[gi] = dcT * g * i * (1 - i);
            gates[gf] = dcT * cPrev[saveOff + j] * f * (1 - f);
            gates[gg] = dcT * i * (1 - g * g);
            gates[go] = dhT * tc * o * (1 - o);
            dc[sOff + j] = dcT * f;
        }
    }

    /** {@link #backward} on vector lanes; same operations in the same order, so bit-identical results. */
    static void backwardVector(int hidden, float[] gates, int gOff, float[] cPrev, float[] tanhC, int saveOff,
                               float[] dh, float[] dc, int sOff, float[] dy, int dyOff) {
        int bound = S.loopBound(hidden);
        for (int j = 0; j < bound; j += S.length()) {
            int gi = gOff + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            FloatVector i = FloatVector.fromArray(S, gates, gi), f = FloatVector.fromArray(S, gates, gf);
            FloatVector g = FloatVector.fromArray(S, gates, gg), o = FloatVector.fromArray(S, gates, go);
            FloatVector tc = FloatVector.fromArray(S, tanhC, saveOff + j);
            FloatVector dhT = FloatVector.fromArray(S, dh, sOff + j).add(FloatVector.fromArray(S, dy, dyOff + j));
            FloatVector dcT = FloatVector.fromArray(S, dc, sOff + j).add(dhT.mul(o).mul(tc.mul(tc).neg().add(1f)));
            dcT.mul(g).mul(i).mul(i.neg().add(1f)).intoArray(gates, gi);
            dcT.mul(FloatVector.fromArray(S, cPrev, saveOff + j)).mul(f).mul(f.neg().add(1f)).intoArray(gates, gf);
            dcT.mul(i).mul(g.mul(g).neg().add(1f)).intoArray(gates, gg);
            dhT.mul(tc).mul(o).mul(o.neg().add(1f)).intoArray(gates, go);
            dcT.mul(f).intoArray(dc, sOff + j);
        }
        backwardRange(bound, hidden, hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
    }

    /**
     * 1/(1+e^-x) in double, rounded once. No branch needed: where e^-x overflows (x below -709 in
     * double, -88 in the float vector version) the quotient is exactly 0, the right answer; elsewhere
     * 1+e^-x loses nothing relative.
     */
    static float sigmoid(float x) {
        return (float) (1 / (1 + Math.exp(-x)));
    }

    private static FloatVector sigmoid(FloatVector x) { return VectorMath.sigmoid(x); }
}
