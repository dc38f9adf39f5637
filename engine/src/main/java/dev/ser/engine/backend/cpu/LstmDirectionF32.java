package dev.ser.engine.backend.cpu;

import java.util.Arrays;

/**
 * One layer, one direction of an LSTM over a batch of (possibly ragged) sequences, float32: the
 * forward pass, the backward pass through time, and the workspace that carries what the first
 * leaves for the second. In haste's terms this object is the ForwardPass, the BackwardPass and
 * their workspace at once; {@link LstmF32} stacks them into layers and directions.
 * {@link LstmDirectionF64} is the same code in float64, line for line, and the reference for this one.
 *
 * <p>Where the time goes: the input projection {@code x W_ih^T} for all B*T rows is one GEMM before
 * the loop, and {@code dW_ih}, {@code dW_hh}, {@code dx} are one GEMM each after the backward loop
 * (from dgates saved for every step). Only {@code h W_hh^T} and {@code dgates W_hh} are per step.
 *
 * <p>Ragged batches (packed-sequence semantics, docs/engine.md (section 4) "lengths"): a row whose step t is
 * past its length simply does not step; its state stays frozen. That one rule gives both PyTorch
 * behaviours: the forward direction's final state is the state at step len-1, and the reverse
 * direction, walking t = T-1 down to 0, starts from h0/c0 at step len-1. The backward mirrors it:
 * a padded step neither consumes dy nor changes dh/dc, and its dgates row is zero, so the big
 * GEMMs over all B*T rows pick up nothing from padding.
 */
final class LstmDirectionF32 {
    final int batch, steps, inputSize, hidden;
    final boolean reverse;
    final int[] lengths;
    final int threads;
    final float[] wIh, wHh, bIh, bHh;

    // Workspace. gates: [B, T, 4H] pre-activations, then activations; the backward turns them into
    // dL/da in place (so a workspace serves one backward). hPrev, cPrev, tanhC: [B, T, H], the
    // inputs and tanh(c_t) of every step (training only). h, c: [B, H] running state in the forward,
    // then dL/dh, dL/dc in the backward. dhRec: [B, H] dgates_t W_hh before it becomes dL/dh_{t-1}.
    final float[] gates;
    final float[] hPrev, cPrev, tanhC;
    final float[] h, c, dhRec;
    private float[] x;
    private boolean consumed;

    /**
     * @param lengths per-row lengths in 1..steps (never null here: the caller fills in T)
     * @param threads how many batch ranges run the recurrence at once (1 = calling thread only)
     */
    LstmDirectionF32(int batch, int steps, int inputSize, int hidden, boolean reverse, int[] lengths,
                     float[] wIh, float[] wHh, float[] bIh, float[] bHh, boolean training, int threads) {
        this.batch = batch;
        this.steps = steps;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.reverse = reverse;
        this.lengths = lengths;
        this.threads = threads;
        this.wIh = wIh;
        this.wHh = wHh;
        this.bIh = bIh;
        this.bHh = bHh;
        int bt = Math.multiplyExact(batch, steps);
        gates = new float[Math.multiplyExact(bt, 4 * hidden)];
        hPrev = training ? new float[bt * hidden] : null;
        cPrev = training ? new float[bt * hidden] : null;
        tanhC = training ? new float[bt * hidden] : null;
        h = new float[batch * hidden];
        c = new float[batch * hidden];
        dhRec = training ? new float[batch * hidden] : null;
    }

    /** Elements this object allocates: 4H*B*T (+ 3H*B*T saved when training) + 2 or 3 [B, H] states. */
    static long workspaceElements(int batch, int steps, int hidden, boolean training) {
        long bt = (long) batch * steps;
        return bt * 4 * hidden + (training ? 3 * bt * hidden + 3L * batch * hidden : 2L * batch * hidden);
    }

    /**
     * Runs the whole sequence. x {@code [B, T, I]} is kept by reference for the backward (do not
     * modify it in between); h0/c0 {@code [B, H]} at stateOff, or null for zeros; y receives h_t at
     * {@code y[(b*T + t)*ldy + yCol + j]} (zero at padded steps); hN/cN (nullable) receive the final
     * state at stateOff.
     */
    void forward(float[] x, float[] h0, float[] c0, int stateOff, float[] y, int yCol, int ldy,
                 float[] hN, float[] cN) {
        this.x = x;
        int g4 = 4 * hidden, bt = batch * steps, bh = batch * hidden;
        for (int r = 0; r < bt; r++) {
            for (int j = 0; j < g4; j++) gates[r * g4 + j] = bIh[j] + bHh[j];
        }
        Gemm.sgemm(false, true, bt, g4, inputSize, 1, x, 0, inputSize, wIh, 0, inputSize, 1, gates, 0, g4);
        if (h0 != null) System.arraycopy(h0, stateOff, h, 0, bh); else Arrays.fill(h, 0);
        if (c0 != null) System.arraycopy(c0, stateOff, c, 0, bh); else Arrays.fill(c, 0);
        // W_hh^T is the B of every step's product: packed once here, not once per step.
        Gemm.PackedF32 whhT = Gemm.packB(true, hidden, g4, wHh, 0, hidden);
        LstmBatchSplit.run(batch, threads, (b0, b1) -> forwardRows(b0, b1, whhT, y, yCol, ldy));
        if (hN != null) System.arraycopy(h, 0, hN, stateOff, bh);
        if (cN != null) System.arraycopy(c, 0, cN, stateOff, bh);
    }

    private void forwardRows(int b0, int b1, Gemm.PackedF32 whhT, float[] y, int yCol, int ldy) {
        int g4 = 4 * hidden, rows = b1 - b0, maxLen = maxLength(b0, b1);
        for (int s = 0; s < steps; s++) {
            int t = reverse ? steps - 1 - s : s;
            if (t < maxLen) {
                // gates[b, t] += h_{t-1}[b] W_hh^T for the rows of this range (row stride T*4H).
                Gemm.sgemm(false, rows, 1, h, b0 * hidden, hidden, whhT, 1, gates, (b0 * steps + t) * g4, steps * g4);
            }
            for (int b = b0; b < b1; b++) {
                int row = b * steps + t, yOff = row * ldy + yCol;
                if (t < lengths[b]) {
                    LstmCellF32.forwardFast(hidden, gates, row * g4, h, c, b * hidden, y, yOff,
                            hPrev, cPrev, tanhC, row * hidden);
                } else {
                    Arrays.fill(y, yOff, yOff + hidden, 0);
                    if (tanhC != null) {
                        // Zeros, not leftovers: the dW_hh GEMM multiplies these by zero dgates,
                        // and 0 * NaN would not be zero.
                        Arrays.fill(hPrev, row * hidden, (row + 1) * hidden, 0);
                        Arrays.fill(cPrev, row * hidden, (row + 1) * hidden, 0);
                        Arrays.fill(tanhC, row * hidden, (row + 1) * hidden, 0);
                    }
                }
            }
        }
    }

    /**
     * Backward through time. dy: dL/dy at {@code dy[(b*T + t)*ldy + yCol + j]}; dhN/dcN
     * (nullable = zero): dL/dh_n, dL/dc_n at stateOff. Writes dh0/dc0 (nullable) at stateOff;
     * ACCUMULATES (+=) into dx {@code [B, T, I]} (nullable) and into dWih, dWhh, dbIh, dbHh.
     * Consumes the workspace: a second call throws.
     */
    void backward(float[] dy, int yCol, int ldy, float[] dhN, float[] dcN, int stateOff,
                  float[] dx, float[] dh0, float[] dc0,
                  float[] dWih, float[] dWhh, float[] dbIh, float[] dbHh) {
        if (tanhC == null) throw new IllegalStateException("this LSTM pass ran for inference and saved nothing to differentiate");
        if (consumed) throw new IllegalStateException("backward already ran on this workspace (it overwrites the saved gates); run forward again");
        consumed = true;
        int g4 = 4 * hidden, bt = batch * steps, bh = batch * hidden;
        if (dhN != null) System.arraycopy(dhN, stateOff, h, 0, bh); else Arrays.fill(h, 0);
        if (dcN != null) System.arraycopy(dcN, stateOff, c, 0, bh); else Arrays.fill(c, 0);
        Gemm.PackedF32 whh = Gemm.packB(false, g4, hidden, wHh, 0, hidden); // the B of every step's dh product
        LstmBatchSplit.run(batch, threads, (b0, b1) -> backwardRows(b0, b1, whh, dy, yCol, ldy));
        if (dh0 != null) System.arraycopy(h, 0, dh0, stateOff, bh);
        if (dc0 != null) System.arraycopy(c, 0, dc0, stateOff, bh);

        // All steps at once (gates now holds dL/da for every row, zero on padded steps):
        // dW_ih += da^T x, dW_hh += da^T h_{t-1}, db += column sums of da, dx += da W_ih.
        Gemm.sgemm(true, false, g4, inputSize, bt, 1, gates, 0, g4, x, 0, inputSize, 1, dWih, 0, inputSize);
        Gemm.sgemm(true, false, g4, hidden, bt, 1, gates, 0, g4, hPrev, 0, hidden, 1, dWhh, 0, hidden);
        float[] db = new float[g4];
        for (int r = 0; r < bt; r++) {
            for (int j = 0; j < g4; j++) db[j] += gates[r * g4 + j];
        }
        for (int j = 0; j < g4; j++) {
            dbIh[j] += db[j];
            dbHh[j] += db[j];
        }
        if (dx != null) {
            Gemm.sgemm(false, false, bt, inputSize, g4, 1, gates, 0, g4, wIh, 0, inputSize, 1, dx, 0, inputSize);
        }
    }

    private void backwardRows(int b0, int b1, Gemm.PackedF32 whh, float[] dy, int yCol, int ldy) {
        int g4 = 4 * hidden, rows = b1 - b0, maxLen = maxLength(b0, b1);
        for (int s = 0; s < steps; s++) {
            int t = reverse ? s : steps - 1 - s; // the forward's order, reversed
            for (int b = b0; b < b1; b++) {
                int row = b * steps + t;
                if (t < lengths[b]) {
                    LstmCellF32.backwardFast(hidden, gates, row * g4, cPrev, tanhC, row * hidden,
                            h, c, b * hidden, dy, row * ldy + yCol);
                } else {
                    Arrays.fill(gates, row * g4, (row + 1) * g4, 0);
                }
            }
            if (t < maxLen) {
                // dL/dh_{t-1} = da_t W_hh; rows that did not step keep their dL/dh unchanged.
                Gemm.sgemm(false, rows, 1, gates, (b0 * steps + t) * g4, steps * g4, whh, 0, dhRec, b0 * hidden, hidden);
                for (int b = b0; b < b1; b++) {
                    if (t < lengths[b]) System.arraycopy(dhRec, b * hidden, h, b * hidden, hidden);
                }
            }
        }
    }

    private int maxLength(int b0, int b1) {
        int m = 0;
        for (int b = b0; b < b1; b++) m = Math.max(m, lengths[b]);
        return m;
    }
}
