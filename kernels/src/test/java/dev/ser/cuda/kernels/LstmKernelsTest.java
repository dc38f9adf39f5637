package dev.ser.cuda.kernels;

import dev.ser.engine.backend.cpu.LstmCellReference;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;

/**
 * lstm.cu against LstmDirectionF32/F64's per-step loops (forwardRows, backwardRows) around the scalar
 * LstmCellF32/F64, on ragged batches, walking every step in both directions. The recurrent GEMMs are not
 * part of these kernels: each step's pre-activations are random here, the backend adds h W_hh^T.
 */
class LstmKernelsTest {
    private static final int[] LENGTHS = {7, 3, 1, 7, 5}; // B = 5, T = 7: full, short, one step, full, middle
    private static final int T = 7;

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void biasInitIsExact(TestDevices.Kind kind) {
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                int rows = 35, g4 = 4 * 33;
                Tensor bIh = r.normal(p, g4), bHh = r.normal(p, g4);
                long gates = s.output(p, (long) rows * g4);
                s.k.lstmBiasInit(p, rows, g4, s.put(bIh), s.put(bHh), gates);
                double[] expected = new double[rows * g4];
                Tensor sum = bIh.add(bHh);
                for (int row = 0; row < rows; row++) System.arraycopy(sum.toDoubleArray(), 0, expected, row * g4, g4);
                Compare.exact("bias init " + p, expected, s.get(gates, p, rows * g4));
            }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void cellForwardAndBackwardOverRaggedSequences(TestDevices.Kind kind) {
        // The reference's float (or double) operations in its order, sigmoid/tanh in double rounded once:
        // only glibc vs Java's last ulp of exp/tanh can differ. F32 1e-5, F64 1e-12 (as the brief).
        for (int hidden : new int[]{1, 33})
            for (boolean reverse : new boolean[]{false, true})
                for (boolean training : new boolean[]{true, false})
                    for (DType p : DType.values()) walk(kind, p, hidden, reverse, training);
    }

    private static void walk(TestDevices.Kind kind, DType p, int hidden, boolean reverse, boolean training) {
        Random r = new Random();
        int batch = LENGTHS.length, g4 = 4 * hidden, ldy = 2 * hidden + 3, yCol = reverse ? hidden + 1 : 0;
        double tol = Compare.tolerance(p);
        String where = p + " H=" + hidden + (reverse ? " reverse" : " forward") + (training ? " training" : " inference") + r.tag();
        double[] gates = r.uniform(p, -3, 3, batch * T * g4).toDoubleArray();
        double[] h = r.normal(p, batch * hidden).toDoubleArray(), c = r.normal(p, batch * hidden).toDoubleArray();
        double[] y = new double[batch * T * ldy];
        Arrays.fill(y, 9); // columns outside [yCol, yCol + H) must stay untouched
        int saved = batch * T * hidden;
        Ref ref = new Ref(p, gates, h, c, y, training ? saved : 0);
        try (DeviceScope s = new DeviceScope(kind)) {
            long dLen = s.putInts(LENGTHS), dGates = s.put(p, gates), dh = s.put(p, h), dc = s.put(p, c), dy = s.put(p, y);
            long hPrev = training ? s.output(p, saved) : 0, cPrev = training ? s.output(p, saved) : 0;
            long tanhC = training ? s.output(p, saved) : 0;
            for (int step = 0; step < T; step++) {
                int t = reverse ? T - 1 - step : step;
                s.k.lstmCellForward(p, batch, T, hidden, t, dLen, dGates, dh, dc, dy, yCol, ldy, hPrev, cPrev, tanhC);
                ref.forwardStep(hidden, t, yCol, ldy);
            }
            Compare.close("forward gates " + where, ref.gates(), s.get(dGates, p, gates.length), tol);
            Compare.close("forward h " + where, ref.h(), s.get(dh, p, h.length), tol);
            Compare.close("forward c " + where, ref.c(), s.get(dc, p, c.length), tol);
            Compare.close("forward y " + where, ref.y(), s.get(dy, p, y.length), tol);
            if (!training) return;
            Compare.close("saved h_{t-1} " + where, ref.hPrev(), s.get(hPrev, p, saved), tol);
            Compare.close("saved c_{t-1} " + where, ref.cPrev(), s.get(cPrev, p, saved), tol);
            Compare.close("saved tanh(c_t) " + where, ref.tanhC(), s.get(tanhC, p, saved), tol);

            // Backward from the device's saved values (so this checks the backward alone), both sides from the same bits.
            Ref back = new Ref(p, s.get(dGates, p, gates.length), r.normal(p, batch * hidden).toDoubleArray(),
                    r.normal(p, batch * hidden).toDoubleArray(), r.normal(p, y.length).toDoubleArray(), 0);
            back.setSaved(s.get(cPrev, p, saved), s.get(tanhC, p, saved));
            long bGates = s.put(p, back.gates()), bdh = s.put(p, back.h()), bdc = s.put(p, back.c()), bdy = s.put(p, back.y());
            long dhRec = s.output(p, batch * hidden);
            for (int step = 0; step < T; step++) {
                int t = reverse ? step : T - 1 - step;
                s.k.lstmCellBackward(p, batch, T, hidden, t, dLen, bGates, cPrev, tanhC, bdh, bdc, bdy, yCol, ldy);
                back.backwardStep(hidden, t, yCol, ldy);
                // Stand-in for da_t W_hh (a GEMM on the backend): any values; only rows that stepped take them.
                double[] rec = r.normal(p, batch * hidden).toDoubleArray();
                s.copyInto(p, rec, dhRec);
                s.k.lstmCopyActiveRows(p, batch, hidden, t, dLen, dhRec, bdh);
                back.copyActiveRows(hidden, t, rec);
            }
            Compare.close("backward dgates " + where, back.gates(), s.get(bGates, p, gates.length), tol);
            Compare.close("backward dh " + where, back.h(), s.get(bdh, p, h.length), tol);
            Compare.close("backward dc " + where, back.c(), s.get(bdc, p, c.length), tol);
        }
    }

    /** The reference state in the dtype's own arrays, stepped as LstmDirection's loops do. */
    private static final class Ref {
        final DType p;
        float[] gf, hf, cf, yf, hPrevF, cPrevF, tanhCF;
        double[] gd, hd, cd, yd, hPrevD, cPrevD, tanhCD;

        Ref(DType p, double[] gates, double[] h, double[] c, double[] y, int saved) {
            this.p = p;
            if (p == DType.F32) {
                gf = f(gates); hf = f(h); cf = f(c); yf = f(y);
                if (saved > 0) { hPrevF = new float[saved]; cPrevF = new float[saved]; tanhCF = new float[saved]; }
            } else {
                gd = gates.clone(); hd = h.clone(); cd = c.clone(); yd = y.clone();
                if (saved > 0) { hPrevD = new double[saved]; cPrevD = new double[saved]; tanhCD = new double[saved]; }
            }
        }

        void setSaved(double[] cPrev, double[] tanhC) {
            if (p == DType.F32) { cPrevF = f(cPrev); tanhCF = f(tanhC); } else { cPrevD = cPrev.clone(); tanhCD = tanhC.clone(); }
        }

        /** LstmDirection.forwardRows, the body of the step loop. */
        void forwardStep(int hidden, int t, int yCol, int ldy) {
            int g4 = 4 * hidden;
            for (int b = 0; b < LENGTHS.length; b++) {
                int row = b * T + t, yOff = row * ldy + yCol;
                if (t < LENGTHS[b]) {
                    if (p == DType.F32) LstmCellReference.forward(hidden, gf, row * g4, hf, cf, b * hidden, yf, yOff, hPrevF, cPrevF, tanhCF, row * hidden);
                    else LstmCellReference.forward(hidden, gd, row * g4, hd, cd, b * hidden, yd, yOff, hPrevD, cPrevD, tanhCD, row * hidden);
                } else {
                    for (int j = 0; j < hidden; j++) {
                        if (p == DType.F32) yf[yOff + j] = 0; else yd[yOff + j] = 0;
                        if (hPrevF != null) { hPrevF[row * hidden + j] = 0; cPrevF[row * hidden + j] = 0; tanhCF[row * hidden + j] = 0; }
                        if (hPrevD != null) { hPrevD[row * hidden + j] = 0; cPrevD[row * hidden + j] = 0; tanhCD[row * hidden + j] = 0; }
                    }
                }
            }
        }

        /** LstmDirection.backwardRows, the cell half of the step loop (h, c hold dL/dh, dL/dc; y holds dy). */
        void backwardStep(int hidden, int t, int yCol, int ldy) {
            int g4 = 4 * hidden;
            for (int b = 0; b < LENGTHS.length; b++) {
                int row = b * T + t;
                if (t < LENGTHS[b]) {
                    if (p == DType.F32) LstmCellReference.backward(hidden, gf, row * g4, cPrevF, tanhCF, row * hidden, hf, cf, b * hidden, yf, row * ldy + yCol);
                    else LstmCellReference.backward(hidden, gd, row * g4, cPrevD, tanhCD, row * hidden, hd, cd, b * hidden, yd, row * ldy + yCol);
                } else if (p == DType.F32) Arrays.fill(gf, row * g4, (row + 1) * g4, 0f);
                else Arrays.fill(gd, row * g4, (row + 1) * g4, 0);
            }
        }

        /** The dhRec copy: rows that stepped at t take da_t W_hh as their dL/dh. */
        void copyActiveRows(int hidden, int t, double[] rec) {
            for (int b = 0; b < LENGTHS.length; b++)
                if (t < LENGTHS[b])
                    for (int j = 0; j < hidden; j++) {
                        if (p == DType.F32) hf[b * hidden + j] = (float) rec[b * hidden + j];
                        else hd[b * hidden + j] = rec[b * hidden + j];
                    }
        }

        double[] gates() { return d(gf, gd); }
        double[] h() { return d(hf, hd); }
        double[] c() { return d(cf, cd); }
        double[] y() { return d(yf, yd); }
        double[] hPrev() { return d(hPrevF, hPrevD); }
        double[] cPrev() { return d(cPrevF, cPrevD); }
        double[] tanhC() { return d(tanhCF, tanhCD); }

        private static float[] f(double[] v) {
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) out[i] = (float) v[i];
            return out;
        }

        private static double[] d(float[] f, double[] d) {
            if (d != null) return d.clone();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) out[i] = f[i];
            return out;
        }
    }
}
