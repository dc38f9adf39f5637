package dev.ser.cuda.device;

import dev.ser.engine.backend.cpu.Gemm;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * cuBLAS's strided-batched GEMM for the emulated device: each matrix is copied out of host "device"
 * memory into an array, multiplied by the engine's {@link Gemm}, and C copied back. Gemm is row-major;
 * a column-major matrix with leading dimension ld is its transpose stored row-major with row stride
 * ld, so {@code C = op(A) op(B)} (column-major) is {@code C^T = op(B)^T op(A)^T} (row-major): the
 * operands and flags swap, m and n swap. TF32 has no CPU counterpart: the flag is recorded, and F32
 * products stay full float32.
 */
final class EmulatedBlas implements Blas {
    private final HostMemory memory;
    private boolean tf32;

    EmulatedBlas(HostMemory memory) { this.memory = memory; }

    @Override public void gemmStridedBatched(Precision precision, boolean transA, boolean transB, int m, int n, int k,
                                             double alpha, long a, int lda, long strideA, long b, int ldb, long strideB,
                                             double beta, long c, int ldc, long strideC, int batch) {
        if (m < 0 || n < 0 || k < 0 || batch < 0)
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k + " batch=" + batch);
        if (m == 0 || n == 0) return;
        // Elements each stored matrix spans (column-major: cols - 1 full columns, then the rows of the last).
        long aExtent = k == 0 ? 0 : span(transA ? k : m, transA ? m : k, lda);
        long bExtent = k == 0 ? 0 : span(transB ? n : k, transB ? k : n, ldb);
        long cExtent = span(m, n, ldc);
        int bytes = precision == Precision.F32 ? 4 : 8;
        for (int i = 0; i < batch; i++) {
            MemorySegment as = memory.segment(a + i * strideA * bytes, aExtent * bytes, "gemm A");
            MemorySegment bs = memory.segment(b + i * strideB * bytes, bExtent * bytes, "gemm B");
            MemorySegment cs = memory.segment(c + i * strideC * bytes, cExtent * bytes, "gemm C");
            if (precision == Precision.F32) {
                float[] ca = cs.toArray(ValueLayout.JAVA_FLOAT);
                if (beta == 0) java.util.Arrays.fill(ca, 0f); // cuBLAS: C is not read when beta == 0
                Gemm.sgemm(transB, transA, n, m, k, (float) alpha, bs.toArray(ValueLayout.JAVA_FLOAT), 0, ldb,
                        as.toArray(ValueLayout.JAVA_FLOAT), 0, lda, (float) beta, ca, 0, ldc);
                MemorySegment.copy(ca, 0, cs, ValueLayout.JAVA_FLOAT, 0, ca.length);
            } else {
                double[] ca = cs.toArray(ValueLayout.JAVA_DOUBLE);
                if (beta == 0) java.util.Arrays.fill(ca, 0);
                Gemm.dgemm(transB, transA, n, m, k, alpha, bs.toArray(ValueLayout.JAVA_DOUBLE), 0, ldb,
                        as.toArray(ValueLayout.JAVA_DOUBLE), 0, lda, beta, ca, 0, ldc);
                MemorySegment.copy(ca, 0, cs, ValueLayout.JAVA_DOUBLE, 0, ca.length);
            }
        }
    }

    private static long span(int rows, int cols, int ld) {
        if (ld < rows)
            throw new IllegalArgumentException("gemm: leading dimension " + ld + " is less than the " + rows
                    + " rows of a column-major matrix");
        return (long) (cols - 1) * ld + rows;
    }

    @Override public void setTf32(boolean enabled) { tf32 = enabled; }

    @Override public String description() {
        return "CPU GEMM (emulated; dev.ser.engine.backend.cpu.Gemm" + (tf32 ? ", TF32 requested but not emulated" : "") + ")";
    }
}
