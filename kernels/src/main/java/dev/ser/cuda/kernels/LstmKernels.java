package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Dim3;
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

    void persistentForward(DType p, int blocks, int threads, int sharedBytes, int batch, int steps, int hidden, boolean reverse,
                           int units, int chunk, long lengthsI32, long gates, long wHh, long h, long c, long hx, long y,
                           int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        if ((long) batch * hidden == 0 || steps == 0) return;
        if ((hPrev == 0) != (tanhC == 0) || (cPrev == 0) != (tanhC == 0))
            throw new IllegalArgumentException("hPrev, cPrev and tanhC are saved together (training) or not at all (inference)");
        checkGeometry(blocks, threads, batch, hidden, units, chunk);
        launch.device.launchCooperative(Launch.name("lstm_persistent_forward", p), Dim3.of(blocks), Dim3.of(threads), sharedBytes,
                new KernelArgs().i32(batch).i32(steps).i32(hidden).i32(reverse ? 1 : 0).i32(units).i32(chunk).ptr(lengthsI32)
                        .ptr(gates).ptr(wHh).ptr(h).ptr(c).ptr(hx).ptr(y).i32(yCol).i32(ldy).ptr(hPrev).ptr(cPrev).ptr(tanhC));
    }

    void persistentBackward(DType p, int blocks, int threads, int sharedBytes, int batch, int steps, int hidden, boolean reverse,
                            int units, int chunk, long lengthsI32, long gates, long cPrev, long tanhC, long wHh, long dh,
                            long dc, long dy, int yCol, int ldy) {
        if ((long) batch * hidden == 0 || steps == 0) return;
        checkGeometry(blocks, threads, batch, hidden, units, chunk);
        launch.device.launchCooperative(Launch.name("lstm_persistent_backward", p), Dim3.of(blocks), Dim3.of(threads), sharedBytes,
                new KernelArgs().i32(batch).i32(steps).i32(hidden).i32(reverse ? 1 : 0).i32(units).i32(chunk).ptr(lengthsI32)
                        .ptr(gates).ptr(cPrev).ptr(tanhC).ptr(wHh).ptr(dh).ptr(dc).ptr(dy).i32(yCol).i32(ldy));
    }

    /** The kernels trust their geometry: every (b, u) item must have a thread, every unit a block. */
    private static void checkGeometry(int blocks, int threads, int batch, int hidden, int units, int chunk) {
        if (units < 1 || chunk < 1 || (long) blocks * units < hidden || (long) (blocks - 1) * units >= hidden
                || threads > Kernels.LSTM_PERSISTENT_MAX_THREADS
                || (long) threads * Kernels.LSTM_PERSISTENT_ITEMS_PER_THREAD < (long) batch * units)
            throw new IllegalArgumentException("persistent LSTM geometry does not cover the work: " + blocks + " blocks of " + threads
                    + " threads, " + units + " units a block, chunk " + chunk + ", for B=" + batch + ", H=" + hidden
                    + " (need blocks = ceil(H/units), threads <= " + Kernels.LSTM_PERSISTENT_MAX_THREADS + ", threads * "
                    + Kernels.LSTM_PERSISTENT_ITEMS_PER_THREAD + " >= B * units)");
    }
}
