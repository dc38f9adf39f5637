package dev.ser.cuda.backend;

import dev.ser.cuda.device.Blas;
import dev.ser.engine.tensor.DType;

/**
 * Row-major products on a column-major BLAS. A row-major {@code [r, c]} matrix with leading dimension
 * ld is, read column-major, its transpose {@code [c, r]} with the same ld, so
 * {@code C = op(A) op(B)} in row-major is {@code C^T = op(B)^T op(A)^T} in column-major: swap the
 * operands and keep each one's transpose flag. Every GEMM of the backend and the LSTM goes through here.
 */
final class RowMajorGemm {
    private RowMajorGemm() {}

    /**
     * {@code C[i] = alpha op(A[i]) op(B[i]) + beta C[i]} for row-major matrices: op(A) is m x k, op(B) is
     * k x n, C is m x n; lda/ldb/ldc are the row strides (elements) of A, B, C as stored; strides between
     * batch entries in elements (0 repeats one matrix).
     */
    static void gemm(Blas blas, DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     long a, int lda, long strideA, long b, int ldb, long strideB, double beta,
                     long c, int ldc, long strideC, int batch) {
        Blas.Precision precision = dtype == DType.F32 ? Blas.Precision.F32 : Blas.Precision.F64;
        blas.gemmStridedBatched(precision, transB, transA, n, m, k, alpha, b, ldb, strideB, a, lda, strideA,
                beta, c, ldc, strideC, batch);
    }

    /** One product: {@code C = alpha op(A) op(B) + beta C}. */
    static void gemm(Blas blas, DType dtype, boolean transA, boolean transB, int m, int n, int k, double alpha,
                     long a, int lda, long b, int ldb, double beta, long c, int ldc) {
        gemm(blas, dtype, transA, transB, m, n, k, alpha, a, lda, 0, b, ldb, 0, beta, c, ldc, 0, 1);
    }
}
