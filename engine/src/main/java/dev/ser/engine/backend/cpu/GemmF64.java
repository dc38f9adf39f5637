package dev.ser.engine.backend.cpu;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Single-threaded packed dgemm (the Goto/BLIS scheme) with a Vector API micro-kernel.
 * {@link Gemm} validates arguments, handles the degenerate cases and splits work across threads;
 * this class computes one (sub-)product on the calling thread.
 *
 * <p>Loops, outermost first: jc over n in NC columns (B panel in L3), pc over k in KC (one packed
 * B block kc x nc), ic over m in MC rows (packed A block mc x kc, lives in L2), jr over the B block in
 * NR-wide micro-panels (kc x NR, lives in L1), ir over the A block in MR-row micro-panels. The
 * micro-kernel keeps an MR x NR tile of C in 12 vector registers (6 rows x 2 vectors of 4 doubles on AVX2; 16
 * ymm: 12 accumulators, 2 B vectors, 1 broadcast of A) and does 12 FMAs per k-step.
 * Block sizes are BLIS's for Zen (dgemm MC=72, KC=256), NC rounded to a multiple of NR.
 *
 * <p>Packing pads partial panels with zeros, so the kernel always computes a full tile; edge tiles
 * go through a small buffer and are merged with scalar code. alpha is folded into packed A (as the
 * reference folds it into A's element). beta: the first k block overwrites C when beta == 0 (C is never
 * read, so NaN in C does not leak through); otherwise C is scaled by beta up front (beta != 1 only)
 * and every block accumulates. With the beta cases merged into C inside the kernel, the kernel grew
 * past C2's inlining limits and a vector store was not inlined; hence the tile buffer below.
 *
 * <p>This is {@link GemmF32} with doubles (4 lanes on AVX2, so NR = 8, and MC = 72); its history
 * and measurements are GemmF32's. Kept in step with it by hand: a change to one goes into both.
 */
final class GemmF64 {
    private GemmF64() {}

    static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    static final int VL = S.length();
    static final int MR = 6;
    static final int NR = 2 * VL;
    static final int KC = 256;
    static final int MC = 72;
    static final int NC = (4096 / NR) * NR;

    /** Per-thread packing buffers, grown on demand and kept: the kernels allocate nothing per call. */
    private static final class Workspace {
        double[] a = new double[0], b = new double[0];
        final double[] tile = new double[MR * NR];
        double[] a(int size) { if (a.length < size) a = new double[size]; return a; }
        double[] b(int size) { if (b.length < size) b = new double[size]; return b; }
    }
    private static final ThreadLocal<Workspace> WS = ThreadLocal.withInitial(Workspace::new);

    /** Requires m, n, k >= 1 and alpha != 0 (Gemm handles the rest). */
    static void gemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                     double[] a, int aOff, int lda, double[] b, int bOff, int ldb,
                     double beta, double[] c, int cOff, int ldc) {
        if (beta != 0.0 && beta != 1.0) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = 0; j < n; j++) c[ci + j] *= beta;
            }
        }
        Workspace w = WS.get();
        int kcMax = kcMax(k);
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int ncPad = roundUp(nc, NR);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                double[] bp = w.b(kc * ncPad);
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, bp, 0);
                boolean overwrite = pc == 0 && beta == 0.0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    double[] ap = w.a(kc * roundUp(mc, MR));
                    packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ap);
                    macro(mc, nc, kc, ap, bp, 0, c, cOff + ic * ldc + jc, ldc, overwrite, w.tile);
                }
            }
        }
    }

    private static int roundUp(int x, int r) { return (x + r - 1) / r * r; }

    /** Balanced k blocks (k = 300 -> 150 + 150, not 256 + 44): fewer C read-modify-writes wasted on a thin last block. */
    private static int kcMax(int k) {
        int kBlocks = (k + KC - 1) / KC;
        return (k + kBlocks - 1) / kBlocks;
    }

    /**
     * op(B) [k x n] packed whole, in exactly the panels {@link #gemm} packs on every call: panel (jc, pc)
     * starts at {@code k * jc + pc * ncPad}, NR-wide slivers of kc rows each. For a B that many products
     * share (an LSTM's W_hh, used once per time step), packing once saves the repacking per step.
     */
    static double[] packAll(boolean transB, double[] b, int bOff, int ldb, int k, int n) {
        int kcMax = kcMax(k);
        double[] out = new double[k * roundUp(n, NR)];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc), ncPad = roundUp(nc, NR);
            for (int pc = 0; pc < k; pc += kcMax) packB(transB, b, bOff, ldb, pc, Math.min(kcMax, k - pc), jc, nc, out, k * jc + pc * ncPad);
        }
        return out;
    }

    /**
     * Columns [j0, j1) of C = alpha op(A) B + beta C, with B from {@link #packAll} ([k x n]); j0 a multiple of
     * NR. Requires m, k >= 1 and alpha != 0.
     */
    static void gemmPacked(boolean transA, int m, int n, int k, double alpha, double[] a, int aOff, int lda,
                           double[] packed, int j0, int j1, double beta, double[] c, int cOff, int ldc) {
        if (beta != 0 && beta != 1) {
            for (int i = 0; i < m; i++) {
                int ci = cOff + i * ldc;
                for (int j = j0; j < j1; j++) c[ci + j] *= beta;
            }
        }
        Workspace w = WS.get();
        int kcMax = kcMax(k);
        for (int jc = j0 / NC * NC; jc < j1; jc += NC) {
            int blockEnd = Math.min(jc + NC, n), lo = Math.max(j0, jc), hi = Math.min(j1, blockEnd);
            int ncPad = roundUp(blockEnd - jc, NR);
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                boolean overwrite = pc == 0 && beta == 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    double[] ap = w.a(kc * roundUp(mc, MR));
                    packA(transA, alpha, a, aOff, lda, ic, mc, pc, kc, ap);
                    macro(mc, hi - lo, kc, ap, packed, k * jc + pc * ncPad + (lo - jc) * kc, c, cOff + ic * ldc + lo, ldc, overwrite, w.tile);
                }
            }
        }
    }

    private static void macro(int mc, int nc, int kc, double[] ap, double[] bp, int bpOff,
                              double[] c, int cIdx, int ldc, boolean overwrite, double[] tile) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir);
                int ci = cIdx + ir * ldc + jr;
                kernel(kc, ap, ir * kc, bp, bpOff + jr * kc, tile);
                if (mr == MR && nr == NR) {
                    for (int r = 0; r < MR; r++) {
                        int row = ci + r * ldc;
                        DoubleVector t0 = DoubleVector.fromArray(S, tile, r * NR);
                        DoubleVector t1 = DoubleVector.fromArray(S, tile, r * NR + VL);
                        if (!overwrite) {
                            t0 = t0.add(DoubleVector.fromArray(S, c, row));
                            t1 = t1.add(DoubleVector.fromArray(S, c, row + VL));
                        }
                        t0.intoArray(c, row);
                        t1.intoArray(c, row + VL);
                    }
                } else {
                    for (int r = 0; r < mr; r++) {
                        int row = ci + r * ldc;
                        for (int j = 0; j < nr; j++) {
                            double t = tile[r * NR + j];
                            c[row + j] = overwrite ? t : c[row + j] + t;
                        }
                    }
                }
            }
        }
    }

    /**
     * tile[6 x NR] = Ap[6 x kc] * Bp[kc x NR]; ap holds the 6 rows interleaved per k-step. The tile
     * goes through a buffer (12 stores + 12 loads per 12 * kc FMAs) because merging into C here,
     * with its overwrite/accumulate branch, pushed the kernel past C2's node-count inlining cutoff.
     */
    private static void kernel(int kc, double[] ap, int ai, double[] bp, int bi,
                               double[] tile) {
        DoubleVector c00 = DoubleVector.zero(S), c01 = DoubleVector.zero(S);
        DoubleVector c10 = DoubleVector.zero(S), c11 = DoubleVector.zero(S);
        DoubleVector c20 = DoubleVector.zero(S), c21 = DoubleVector.zero(S);
        DoubleVector c30 = DoubleVector.zero(S), c31 = DoubleVector.zero(S);
        DoubleVector c40 = DoubleVector.zero(S), c41 = DoubleVector.zero(S);
        DoubleVector c50 = DoubleVector.zero(S), c51 = DoubleVector.zero(S);
        for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi);
            DoubleVector b1 = DoubleVector.fromArray(S, bp, bi + VL);
            DoubleVector av = DoubleVector.broadcast(S, ap[ai]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = DoubleVector.broadcast(S, ap[ai + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = DoubleVector.broadcast(S, ap[ai + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = DoubleVector.broadcast(S, ap[ai + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = DoubleVector.broadcast(S, ap[ai + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = DoubleVector.broadcast(S, ap[ai + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        c00.intoArray(tile, 0);          c01.intoArray(tile, VL);
        c10.intoArray(tile, NR);         c11.intoArray(tile, NR + VL);
        c20.intoArray(tile, 2 * NR);     c21.intoArray(tile, 2 * NR + VL);
        c30.intoArray(tile, 3 * NR);     c31.intoArray(tile, 3 * NR + VL);
        c40.intoArray(tile, 4 * NR);     c41.intoArray(tile, 4 * NR + VL);
        c50.intoArray(tile, 5 * NR);     c51.intoArray(tile, 5 * NR + VL);
    }

    /** Ap[panel][p][r] = alpha * op(A)[ic + panel*MR + r, pc + p], rows past mc zero. */
    private static void packA(boolean transA, double alpha, double[] a, int aOff, int lda,
                              int ic, int mc, int pc, int kc, double[] ap) {
        if (!transA) {
            for (int ir = 0; ir < mc; ir += MR) {
                int mr = Math.min(MR, mc - ir), base = ir * kc;
                for (int r = 0; r < MR; r++) {
                    if (r < mr) {
                        int src = aOff + (ic + ir + r) * lda + pc;
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = alpha * a[src + p];
                    } else {
                        for (int p = 0; p < kc; p++) ap[base + p * MR + r] = 0.0;
                    }
                }
            }
        } else {
            // op(A) row i is column i of the stored A: walk the stored rows once, each contiguous,
            // and deal their mc elements out to the panels. (Panel by panel instead re-read every
            // stored row mc/MR times, 6 floats each: the dW = dgates^T x products ran at half speed.)
            for (int p = 0; p < kc; p++) {
                int src = aOff + (pc + p) * lda + ic;
                for (int ir = 0; ir < mc; ir += MR) {
                    int mr = Math.min(MR, mc - ir), dst = ir * kc + p * MR;
                    for (int r = 0; r < mr; r++) ap[dst + r] = alpha * a[src + ir + r];
                    for (int r = mr; r < MR; r++) ap[dst + r] = 0.0;
                }
            }
        }
    }

    /** Bp[panel][p][j] = op(B)[pc + p, jc + panel*NR + j], columns past nc zero. */
    private static void packB(boolean transB, double[] b, int bOff, int ldb,
                              int pc, int kc, int jc, int nc, double[] bp, int bpOff) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = bpOff + jr * kc;
            if (!transB) {
                for (int p = 0; p < kc; p++) {
                    int src = bOff + (pc + p) * ldb + jc + jr;
                    int dst = base + p * NR;
                    if (nr == NR) {
                        DoubleVector.fromArray(S, b, src).intoArray(bp, dst);
                        DoubleVector.fromArray(S, b, src + VL).intoArray(bp, dst + VL);
                    } else {
                        for (int j = 0; j < nr; j++) bp[dst + j] = b[src + j];
                        for (int j = nr; j < NR; j++) bp[dst + j] = 0.0;
                    }
                }
            } else {
                for (int j = 0; j < NR; j++) {
                    if (j < nr) {
                        int src = bOff + (jc + jr + j) * ldb + pc;
                        for (int p = 0; p < kc; p++) bp[base + p * NR + j] = b[src + p];
                    } else {
                        for (int p = 0; p < kc; p++) bp[base + p * NR + j] = 0.0;
                    }
                }
            }
        }
    }
}
