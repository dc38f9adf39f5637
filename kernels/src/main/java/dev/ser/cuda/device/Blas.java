package dev.ser.cuda.device;

/**
 * General matrix products on the device, in cuBLAS's column-major convention:
 * {@code C_i = alpha * op(A_i) * op(B_i) + beta * C_i} for i in [0, batch), with
 * {@code A_i = A + i * strideA} (strides in elements; 0 broadcasts one matrix to the whole batch).
 * op(A) is m x k, op(B) is k x n, C is m x n. The CUDA backend stores row-major tensors and calls this
 * with the operands swapped (C^T = B^T A^T), as usual.
 */
public interface Blas {
    enum Precision { F32, F64 }

    void gemmStridedBatched(Precision precision, boolean transA, boolean transB, int m, int n, int k,
                            double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                            double beta, long c, int ldc, long strideC, int batch);

    /** TF32 tensor-core math for F32 GEMMs (off by default: it rounds inputs to 10-bit mantissas). */
    void setTf32(boolean enabled);

    /** The library behind it, e.g. "cuBLAS 13.0.2 (/usr/local/cuda/lib64/libcublas.so.13)" or "CPU GEMM (emulated)". */
    String description();
}
