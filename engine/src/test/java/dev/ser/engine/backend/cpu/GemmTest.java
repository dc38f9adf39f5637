package dev.ser.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gemm (packed Vector API kernels, threads) against GemmReference (plain loops) on random shapes.
 *
 * <p>Tolerance: the two sum the k products in different orders, so they differ by rounding only;
 * the classical bound for a dot product is |error| <= k * eps * sum|terms|. We compare each element
 * relative to its scale s = |alpha| * sum_p |a_ip b_pj| + |beta c_ij| (not to |c_ij| itself, which can
 * cancel to ~0): float 1e-5 * s, double 1e-12 * s. The worst element is printed on failure.
 */
class GemmTest {
    /** Odd sizes around the micro-tile (6 x 16 floats, 6 x 8 doubles) and block (KC 256, MC 144/72) edges. */
    private static final int[] SIZES = {1, 2, 3, 5, 6, 7, 8, 15, 16, 17, 31, 33, 64, 129, 145, 257, 300};

    private record Shape(boolean transA, boolean transB, int m, int n, int k,
                         int lda, int ldb, int ldc, int aOff, int bOff, int cOff) {
        int aRows() { return transA ? k : m; }
        int bRows() { return transB ? n : k; }
        int aLen() { return aOff + aRows() * lda; }
        int bLen() { return bOff + bRows() * ldb; }
        int cLen() { return cOff + m * ldc; }
    }

    private static Shape randomShape(SplittableRandom rnd, boolean padded) {
        boolean tA = rnd.nextBoolean(), tB = rnd.nextBoolean();
        int m = SIZES[rnd.nextInt(SIZES.length)], n = SIZES[rnd.nextInt(SIZES.length)], k = SIZES[rnd.nextInt(SIZES.length)];
        int pad = padded ? 1 + rnd.nextInt(7) : 0;
        int lda = (tA ? m : k) + (padded ? rnd.nextInt(9) : 0);
        int ldb = (tB ? k : n) + (padded ? rnd.nextInt(9) : 0);
        int ldc = n + (padded ? rnd.nextInt(9) : 0);
        return new Shape(tA, tB, m, n, k, lda, ldb, ldc, pad, padded ? rnd.nextInt(5) : 0, padded ? rnd.nextInt(5) : 0);
    }

    private static float[] randomF(SplittableRandom rnd, int len) {
        float[] x = new float[len];
        for (int i = 0; i < len; i++) x[i] = (float) (rnd.nextDouble() * 2 - 1);
        return x;
    }

    private static double[] randomD(SplittableRandom rnd, int len) {
        double[] x = new double[len];
        for (int i = 0; i < len; i++) x[i] = rnd.nextDouble() * 2 - 1;
        return x;
    }

    /** Scale of element (i, j): |alpha| sum_p |op(A)_ip op(B)_pj| + |beta c_ij|, floored to avoid 0. */
    private static double scale(Shape s, double alpha, double beta, double[] a, double[] b, double c0, int i, int j) {
        double sum = 0;
        for (int p = 0; p < s.k; p++) {
            double av = s.transA ? a[s.aOff + p * s.lda + i] : a[s.aOff + i * s.lda + p];
            double bv = s.transB ? b[s.bOff + j * s.ldb + p] : b[s.bOff + p * s.ldb + j];
            sum += Math.abs(av * bv);
        }
        double sc = Math.abs(alpha) * sum + (beta == 0 ? 0 : Math.abs(beta * c0));
        return Math.max(sc, 1e-30);
    }

    private static double[] toD(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    private static void checkFloat(Shape s, float alpha, float beta, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] a = randomF(rnd, s.aLen()), b = randomF(rnd, s.bLen()), c0 = randomF(rnd, s.cLen());
        if (beta == 0f) Arrays.fill(c0, Float.NaN); // beta == 0 must ignore C entirely
        float[] want = c0.clone(), got = c0.clone();
        if (beta == 0f) Arrays.fill(want, 0f);
        GemmReference.sgemm(s.transA, s.transB, s.m, s.n, s.k, alpha, a, s.aOff, s.lda, b, s.bOff, s.ldb,
                beta, want, s.cOff, s.ldc);
        Gemm.sgemm(s.transA, s.transB, s.m, s.n, s.k, alpha, a, s.aOff, s.lda, b, s.bOff, s.ldb,
                beta, got, s.cOff, s.ldc);
        double[] ad = toD(a), bd = toD(b);
        double worst = 0; int worstAt = -1;
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - s.cOff;
            boolean inside = rel >= 0 && rel / s.ldc < s.m && rel % s.ldc < s.n;
            if (!inside) {
                // Padding between rows and around C must be untouched (bitwise, NaN included).
                if (Float.floatToRawIntBits(got[idx]) != Float.floatToRawIntBits(c0[idx]))
                    fail(s + ": element " + idx + " outside C was written: " + c0[idx] + " -> " + got[idx]);
                continue;
            }
            double err = Math.abs((double) got[idx] - want[idx])
                    / scale(s, alpha, beta, ad, bd, beta == 0 ? 0 : c0[idx], rel / s.ldc, rel % s.ldc);
            if (!(err <= worst)) { worst = err; worstAt = idx; } // NaN lands here and fails below
        }
        if (!(worst <= 1e-5))
            fail(s + " alpha=" + alpha + " beta=" + beta + ": worst relative error " + worst + " at " + worstAt
                    + " (got " + got[worstAt] + ", reference " + want[worstAt] + "), tolerance 1e-5");
    }

    private static void checkDouble(Shape s, double alpha, double beta, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] a = randomD(rnd, s.aLen()), b = randomD(rnd, s.bLen()), c0 = randomD(rnd, s.cLen());
        if (beta == 0) Arrays.fill(c0, Double.NaN);
        double[] want = c0.clone(), got = c0.clone();
        GemmReference.dgemm(s.transA, s.transB, s.m, s.n, s.k, alpha, a, s.aOff, s.lda, b, s.bOff, s.ldb,
                beta, want, s.cOff, s.ldc);
        Gemm.dgemm(s.transA, s.transB, s.m, s.n, s.k, alpha, a, s.aOff, s.lda, b, s.bOff, s.ldb,
                beta, got, s.cOff, s.ldc);
        double worst = 0; int worstAt = -1;
        for (int idx = 0; idx < got.length; idx++) {
            int rel = idx - s.cOff;
            boolean inside = rel >= 0 && rel / s.ldc < s.m && rel % s.ldc < s.n;
            if (!inside) {
                if (Double.doubleToRawLongBits(got[idx]) != Double.doubleToRawLongBits(c0[idx]))
                    fail(s + ": element " + idx + " outside C was written: " + c0[idx] + " -> " + got[idx]);
                continue;
            }
            double err = Math.abs(got[idx] - want[idx])
                    / scale(s, alpha, beta, a, b, beta == 0 ? 0 : c0[idx], rel / s.ldc, rel % s.ldc);
            if (!(err <= worst)) { worst = err; worstAt = idx; }
        }
        if (!(worst <= 1e-12))
            fail(s + " alpha=" + alpha + " beta=" + beta + ": worst relative error " + worst + " at " + worstAt
                    + " (got " + got[worstAt] + ", reference " + want[worstAt] + "), tolerance 1e-12");
    }

    private static final float[][] ALPHA_BETA = {{1f, 0f}, {1f, 1f}, {0.5f, -1.5f}, {-2f, 0f}, {1f, 0.25f}};

    @Test
    void floatRandomShapesAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(20261124);
        for (int trial = 0; trial < 300; trial++) {
            Shape s = randomShape(rnd, trial % 2 == 1);
            float[] ab = ALPHA_BETA[trial % ALPHA_BETA.length];
            checkFloat(s, ab[0], ab[1], rnd.nextLong());
        }
    }

    @Test
    void doubleRandomShapesAllTransposes() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int trial = 0; trial < 300; trial++) {
            Shape s = randomShape(rnd, trial % 2 == 1);
            float[] ab = ALPHA_BETA[trial % ALPHA_BETA.length];
            checkDouble(s, ab[0], ab[1], rnd.nextLong());
        }
    }

    /** Every transpose pair on shapes big enough to take the threaded path and several k blocks. */
    @Test
    void largeShapesEveryTransposeThreaded() {
        int[][] shapes = {{300, 257, 517}, {9, 1030, 40}, {1030, 33, 130}, {129, 129, 129}};
        long seed = 7;
        for (int[] mnk : shapes)
            for (int t = 0; t < 4; t++) {
                boolean tA = (t & 1) != 0, tB = (t & 2) != 0;
                int m = mnk[0], n = mnk[1], k = mnk[2];
                Shape s = new Shape(tA, tB, m, n, k, (tA ? m : k) + 3, (tB ? k : n) + 1, n + 5, 2, 1, 3);
                checkFloat(s, 1f, 0f, seed++);
                checkFloat(s, 0.5f, 1f, seed++);
                checkDouble(s, 1.0, 0.0, seed++);
                checkDouble(s, -1.0, 0.75, seed++);
            }
    }

    @Test
    void degenerateSizes() {
        float[] c = {Float.NaN, 2f, 3f};
        Gemm.sgemm(false, false, 1, 3, 0, 1f, new float[0], 0, 0, new float[3], 0, 3, 0f, c, 0, 3);
        assertEquals("[0.0, 0.0, 0.0]", Arrays.toString(c), "k == 0, beta == 0 zeroes C");
        float[] d = {1f, 2f};
        Gemm.sgemm(false, false, 1, 2, 2, 0f, new float[]{Float.NaN, 1f}, 0, 2, new float[4], 0, 2, 2f, d, 0, 2);
        assertEquals("[2.0, 4.0]", Arrays.toString(d), "alpha == 0 scales C by beta, ignores A and B");
        Gemm.sgemm(false, false, 0, 5, 5, 1f, new float[0], 0, 5, new float[0], 0, 5, 0f, new float[0], 0, 5);
    }

    @Test
    void rejectsMatricesThatDoNotFit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () ->
                Gemm.sgemm(false, false, 4, 4, 4, 1f, new float[15], 0, 4, new float[16], 0, 4, 0f, new float[16], 0, 4));
        assertTrue(e.getMessage().contains("A is stored as 4 x 4"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () ->
                Gemm.sgemm(false, true, 2, 3, 4, 1f, new float[8], 0, 4, new float[12], 0, 3, 0f, new float[6], 0, 3));
    }
}
