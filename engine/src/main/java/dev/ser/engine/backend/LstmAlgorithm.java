package dev.ser.engine.backend;

/**
 * How a backend runs the fused LSTM ({@link Backend#lstm}); every algorithm computes the same function,
 * forward and backward, and the tests hold them to each other and to PyTorch.
 */
public enum LstmAlgorithm {
    /**
     * One GEMM for every step's input projection, then per step a recurrent GEMM and one fused pointwise
     * cell; the backward mirrors it. The CPU's algorithm (backend/cpu/LstmF32) and the CUDA backend's default.
     */
    CELL,
    /** cuDNN's RNN (the v8 API), CUDA backend only. */
    CUDNN,
    /**
     * The whole recurrence of a layer in one cooperative launch, the recurrent weights held on chip across
     * steps and a grid-wide barrier between them; CUDA backend only, for the sizes that fit (else CELL).
     */
    PERSISTENT
}
