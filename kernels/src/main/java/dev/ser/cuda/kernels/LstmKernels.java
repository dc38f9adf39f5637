package dev.ser.cuda.kernels;

import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/**
 * Launches src/main/cuda/lstm.cu: the pointwise half of each LSTM step, between the GEMMs the backend
 * issues (gates = b_ih + b_hh, += x W_ih^T for all steps; per step gates[:, t] += h W_hh^T, and in the
 * backward dhRec = dgates[:, t] W_hh). Shapes: gates [B, T, 4H]; h, c, dh, dc [B, H]; hPrev, cPrev,
 * tanhC [B, T, H]; lengths B int32 in 1..T.
 */
final class LstmKernels {
    private final Launch launch;

    LstmKernels(Launch launch) { this.launch = launch; }

    void biasInit(DType p, int rows, int gates4, long bIh, long bHh, long gates) {
        long n = (long) rows * gates4;
        if (n == 0) return;
        launch.elementwise("lstm_bias_init", p, n, new KernelArgs().i32(rows).i32(gates4).ptr(bIh).ptr(bHh).ptr(gates));
    }

    /** Step t for every row; hPrev, cPrev, tanhC all 0 for inference (then gates keep their pre-activations). */
    void cellForward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long h, long c,
                     long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        long n = (long) batch * hidden;
        if (n == 0) return;
        if ((hPrev == 0) != (tanhC == 0) || (cPrev == 0) != (tanhC == 0))
            throw new IllegalArgumentException("hPrev, cPrev and tanhC are saved together (training) or not at all (inference)");
        launch.elementwise("lstm_cell_forward", p, n, new KernelArgs().i32(batch).i32(steps).i32(hidden).i32(t)
                .ptr(lengthsI32).ptr(gates).ptr(h).ptr(c).ptr(y).i32(yCol).i32(ldy).ptr(hPrev).ptr(cPrev).ptr(tanhC));
    }

    void cellBackward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long cPrev,
                      long tanhC, long dh, long dc, long dy, int yCol, int ldy) {
        long n = (long) batch * hidden;
        if (n == 0) return;
        launch.elementwise("lstm_cell_backward", p, n, new KernelArgs().i32(batch).i32(steps).i32(hidden).i32(t)
                .ptr(lengthsI32).ptr(gates).ptr(cPrev).ptr(tanhC).ptr(dh).ptr(dc).ptr(dy).i32(yCol).i32(ldy));
    }

    void copyActiveRows(DType p, int batch, int hidden, int t, long lengthsI32, long src, long dst) {
        long n = (long) batch * hidden;
        if (n == 0) return;
        launch.elementwise("lstm_copy_active_rows", p, n,
                new KernelArgs().i32(batch).i32(hidden).i32(t).ptr(lengthsI32).ptr(src).ptr(dst));
    }
}
