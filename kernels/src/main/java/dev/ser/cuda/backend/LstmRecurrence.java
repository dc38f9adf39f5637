package dev.ser.cuda.backend;

import dev.ser.engine.tensor.DType;

/**
 * The part of {@link CudaLstm} that differs between its implementations: running the T steps of one layer
 * and direction, forward and backward. Everything around it is shared: the bias init and the one GEMM
 * for every step's input projection before the forward; the weight-gradient GEMMs (dW_ih, dW_hh, db, dx)
 * after the backward; the state copies to h_n/c_n and dh0/dc0.
 *
 * <p>{@link PerStepLstm}: per step a cuBLAS GEMM and a cell kernel (two launches a step).
 * {@link PersistentLstm}: all steps in one cooperative launch, falling back to the per-step path where
 * its geometry does not fit the device.
 */
interface LstmRecurrence {
    /**
     * One direction's work, shared by both passes. gates [B, T, 4H]: the forward gets x W_ih^T + b_ih + b_hh
     * and leaves (training) the activated gates; the backward gets those and leaves dL/da (0 on padded steps).
     * h, c [B, H]: the forward's initial state in, final state out; in the backward dL/dh_n, dL/dc_n in,
     * dL/dh_0, dL/dc_0 out. lengths: int32 [B] on the device, maxLen their maximum. wHh [4H, H].
     */
    record Steps(DType dtype, int batch, int steps, int hidden, boolean reverse, int maxLen, long lengths, long gates,
                 long wHh, long h, long c) {
        /** Step s of the forward visits t = stepAt(s); the backward visits them in the opposite order. */
        int forwardStep(int s) { return reverse ? steps - 1 - s : s; }
    }

    /** Output h_t to y[(b*T + t)*ldy + yCol + j]; hPrev, cPrev, tanhC [B, T, H] saved for training, else all 0. */
    void forward(Steps s, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC);

    /** dy read at y's layout; cPrev and tanhC as the forward saved them. */
    void backward(Steps s, long cPrev, long tanhC, long dy, int yCol, int ldy);
}
