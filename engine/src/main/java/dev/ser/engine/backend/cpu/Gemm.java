package dev.ser.engine.backend.cpu;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * General matrix multiply on row-major flat arrays, BLAS-style:
 * {@code C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C}.
 * op(A) = A (stored m x k, row stride lda) or A^T (stored k x m); likewise B.
 * When beta == 0, C is overwritten (its old content, even NaN, is ignored), as BLAS does.
 *
 * <p>This is the one entry point every CPU matmul goes through (Dense, the LSTM's projections,
 * batched matmul). Tiny products run the plain loops of {@link GemmReference} (packing would cost
 * more than it saves); the rest run the packed Vector API kernels {@link GemmF32} / {@link GemmF64},
 * split across threads when the product is large enough to pay for the hand-off.
 *
 * <p>Threads: {@code -Dser.gemm.threads=N} (default: available processors). The caller computes one
 * part and a fixed pool of N-1 daemon threads the others; a call made from a pool thread never splits
 * again. Callers that already run GEMMs on several threads of their own should set N=1.
 *
 * <p>EJML 0.44 was measured against this (bench GemmBenchmark, docs/benchmarks.md): 10-15x slower on
 * every benchmarked shape, single- or multi-threaded, so the engine keeps its own kernel.
 */
public final class Gemm {
    private Gemm() {}

    /** Below this many multiply-adds the reference loops win (no packing, no buffers). */
    static final long SMALL_MACS = 4096;
    /** At or above this many multiply-adds (~0.1 ms on one core) a second thread pays for itself. */
    static final long PARALLEL_MACS = 1L << 21;

    static final int THREADS = Math.max(1,
            Integer.getInteger("ser.gemm.threads", Runtime.getRuntime().availableProcessors()));

    /** The thread count this JVM's GEMMs split across (ser.gemm.threads, read once when Gemm loads). */
    public static int threads() { return THREADS; }

    /** Marks the pool's threads, so that a GEMM called from one runs serially (no nested splits). */
    private static final class Worker extends Thread {
        Worker(Runnable r) { super(r, "ser-gemm-worker"); setDaemon(true); }
    }
    private static final ExecutorService POOL =
            THREADS > 1 ? Executors.newFixedThreadPool(THREADS - 1, Worker::new) : null;

    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha,
                             float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                             float beta, float[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (beta == 0f) java.util.Arrays.fill(c, ci, ci + n, 0f);
                else if (beta != 1f) for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
            return;
        }
        long macs = (long) m * n * k;
        if (macs <= SMALL_MACS) {
            GemmReference.sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int parts = parts(macs, m, n, GemmF32.MR, GemmF32.NR);
        if (parts == 1) {
            GemmF32.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean splitM = m >= n;
        int[] cut = cuts(splitM ? m : n, parts, splitM ? GemmF32.MR : GemmF32.NR);
        runParts(parts, t -> {
            int lo = cut[t], len = cut[t + 1] - lo;
            if (len == 0) return;
            if (splitM) {
                GemmF32.gemm(transA, transB, len, n, k, alpha, a, aOff + (transA ? lo : lo * lda), lda,
                        b, bOff, ldb, beta, c, cOff + lo * ldc, ldc);
            } else {
                GemmF32.gemm(transA, transB, m, len, k, alpha, a, aOff, lda,
                        b, bOff + (transB ? lo * ldb : lo), ldb, beta, c, cOff + lo, ldc);
            }
        });
    }

    public static void dgemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                             double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                             double beta, double[] c, int cOff, int ldc) {
        check(transA, transB, m, n, k, a.length, aOff, lda, b.length, bOff, ldb, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                if (beta == 0) java.util.Arrays.fill(c, ci, ci + n, 0);
                else if (beta != 1) for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
            return;
        }
        long macs = (long) m * n * k;
        if (macs <= SMALL_MACS) {
            GemmReference.dgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        int parts = parts(macs, m, n, GemmF64.MR, GemmF64.NR);
        if (parts == 1) {
            GemmF64.gemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
            return;
        }
        boolean splitM = m >= n;
        int[] cut = cuts(splitM ? m : n, parts, splitM ? GemmF64.MR : GemmF64.NR);
        runParts(parts, t -> {
            int lo = cut[t], len = cut[t + 1] - lo;
            if (len == 0) return;
            if (splitM) {
                GemmF64.gemm(transA, transB, len, n, k, alpha, a, aOff + (transA ? lo : lo * lda), lda,
                        b, bOff, ldb, beta, c, cOff + lo * ldc, ldc);
            } else {
                GemmF64.gemm(transA, transB, m, len, k, alpha, a, aOff, lda,
                        b, bOff + (transB ? lo * ldb : lo), ldb, beta, c, cOff + lo, ldc);
            }
        });
    }

    /**
     * op(B) packed once for many products {@code C = alpha op(A) B + beta C} that share it: the LSTM's
     * recurrent weights are the B of one small GEMM per time step (m = batch), and packing a 1024 x 256 B
     * costs about as much as multiplying it by 32 rows, so packing it once per sequence instead of once per
     * step removes a large part of the recurrence's cost. Immutable; shareable across threads.
     */
    public record PackedF32(int k, int n, float[] data) {}

    public record PackedF64(int k, int n, double[] data) {}

    /** Packs op(B) [k x n] (B stored n x k when transB) for {@link #sgemm(boolean, int, float, float[], int, int, PackedF32, float, float[], int, int)}. */
    public static PackedF32 packB(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        check(false, transB, 1, n, k, k, 0, k, b.length, bOff, ldb, n, 0, n);
        return new PackedF32(k, n, GemmF32.packAll(transB, b, bOff, ldb, k, n));
    }

    public static PackedF64 packB(boolean transB, int k, int n, double[] b, int bOff, int ldb) {
        check(false, transB, 1, n, k, k, 0, k, b.length, bOff, ldb, n, 0, n);
        return new PackedF64(k, n, GemmF64.packAll(transB, b, bOff, ldb, k, n));
    }

    /** {@code C[m x n] = alpha op(A)[m x k] B + beta C} with B packed by {@link #packB}; same results as the unpacked call. */
    public static void sgemm(boolean transA, int m, float alpha, float[] a, int aOff, int lda, PackedF32 b,
                             float beta, float[] c, int cOff, int ldc) {
        int n = b.n(), k = b.k();
        check(transA, false, m, n, k, a.length, aOff, lda, k * n, 0, n, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0f) {
            sgemm(transA, false, m, n, 0, alpha, a, aOff, lda, b.data(), 0, n, beta, c, cOff, ldc);
            return;
        }
        int[] cut = columnCuts((long) m * n * k, n, GemmF32.NR);
        runParts(cut.length - 1, t -> {
            if (cut[t + 1] > cut[t]) GemmF32.gemmPacked(transA, m, n, k, alpha, a, aOff, lda, b.data(), cut[t], cut[t + 1], beta, c, cOff, ldc);
        });
    }

    public static void dgemm(boolean transA, int m, double alpha, double[] a, int aOff, int lda, PackedF64 b,
                             double beta, double[] c, int cOff, int ldc) {
        int n = b.n(), k = b.k();
        check(transA, false, m, n, k, a.length, aOff, lda, k * n, 0, n, c.length, cOff, ldc);
        if (m == 0 || n == 0) return;
        if (k == 0 || alpha == 0) {
            dgemm(transA, false, m, n, 0, alpha, a, aOff, lda, b.data(), 0, n, beta, c, cOff, ldc);
            return;
        }
        int[] cut = columnCuts((long) m * n * k, n, GemmF64.NR);
        runParts(cut.length - 1, t -> {
            if (cut[t + 1] > cut[t]) GemmF64.gemmPacked(transA, m, n, k, alpha, a, aOff, lda, b.data(), cut[t], cut[t + 1], beta, c, cOff, ldc);
        });
    }

    /** A packed B is split by columns only (whole NR slivers), one part per thread when the product pays for it. */
    private static int[] columnCuts(long macs, int n, int nr) {
        int parts = POOL == null || macs < PARALLEL_MACS || Thread.currentThread() instanceof Worker ? 1 : Math.min(THREADS, (n + nr - 1) / nr);
        return cuts(n, parts, nr);
    }

    /** How many threads to use: 1 for small products, for calls from a worker, or with one thread. */
    private static int parts(long macs, int m, int n, int mr, int nr) {
        if (POOL == null || macs < PARALLEL_MACS) return 1;
        if (Thread.currentThread() instanceof Worker) return 1;
        // Each part should get at least one whole micro-tile row/column along the split dimension.
        int units = m >= n ? (m + mr - 1) / mr : (n + nr - 1) / nr;
        return Math.min(THREADS, units);
    }

    /** Splits [0, len) into parts pieces whose boundaries are multiples of unit (except the end). */
    private static int[] cuts(int len, int parts, int unit) {
        int units = (len + unit - 1) / unit;
        int[] cut = new int[parts + 1];
        for (int t = 1; t < parts; t++) cut[t] = Math.min(len, (int) ((long) units * t / parts) * unit);
        cut[parts] = len;
        return cut;
    }

    private interface Part { void run(int t); }

    private static void runParts(int parts, Part body) {
        Future<?>[] futures = new Future<?>[parts - 1];
        for (int t = 1; t < parts; t++) {
            int tt = t;
            futures[t - 1] = POOL.submit(() -> body.run(tt));
        }
        RuntimeException failure = null;
        try {
            body.run(0);
        } catch (RuntimeException e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause() instanceof RuntimeException re ? re : new RuntimeException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = new RuntimeException("interrupted while waiting for a GEMM worker", e);
            }
        }
        if (failure != null) throw failure;
    }

    /**
     * Fails fast, before any thread starts, when a matrix does not fit its array: the packed kernels
     * would otherwise throw from a worker, half-way through C.
     */
    private static void check(boolean transA, boolean transB, int m, int n, int k,
                              int aLen, int aOff, int lda, int bLen, int bOff, int ldb,
                              int cLen, int cOff, int ldc) {
        if (m < 0 || n < 0 || k < 0)
            throw new IllegalArgumentException("gemm: negative size m=" + m + " n=" + n + " k=" + k);
        if (m == 0 || n == 0) return;
        int aRows = transA ? k : m, aCols = transA ? m : k;
        int bRows = transB ? n : k, bCols = transB ? k : n;
        if (k > 0) {
            need("A", transA, aRows, aCols, aLen, aOff, lda);
            need("B", transB, bRows, bCols, bLen, bOff, ldb);
        }
        need("C", false, m, n, cLen, cOff, ldc);
    }

    private static void need(String name, boolean trans, int rows, int cols, int len, int off, int ld) {
        if (ld < cols || off < 0 || (long) off + (long) (rows - 1) * ld + cols > len)
            throw new IllegalArgumentException("gemm: " + name + (trans ? " (transposed)" : "") + " is stored as "
                    + rows + " x " + cols + " with offset " + off + " and leading dimension " + ld
                    + ", which needs ld >= " + cols + " and an array of at least "
                    + ((long) off + (long) (rows - 1) * ld + cols) + " elements; found " + len
                    + ". Check the transpose flags and the leading dimension (row stride, row-major).");
    }
}
