package dev.ser.engine.backend.cpu;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A pre-packed B gives bit for bit the product of the unpacked call: the same panels, the same kernel. */
class GemmPackedTest {
    private static float[] randomF(SplittableRandom r, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) r.nextGaussian();
        return x;
    }

    private static double[] randomD(SplittableRandom r, int n) {
        double[] x = new double[n];
        for (int i = 0; i < n; i++) x[i] = r.nextGaussian();
        return x;
    }

    @Test void packedEqualsUnpackedForEveryShapeAndTranspose() {
        SplittableRandom r = new SplittableRandom(1);
        int[][] shapes = {{32, 256, 1024}, {7, 300, 40}, {1, 1, 1}, {13, 17, 4500}, {64, 1024, 256}, {3, 5, 9000}};
        for (int[] s : shapes)
            for (boolean transA : new boolean[]{false, true})
                for (boolean transB : new boolean[]{false, true})
                    for (float beta : new float[]{0f, 1f, 0.5f}) {
                        int m = s[0], k = s[1], n = s[2];
                        float[] a = randomF(r, m * k), b = randomF(r, k * n), c0 = randomF(r, m * n);
                        int lda = transA ? m : k, ldb = transB ? k : n;
                        float[] c1 = c0.clone(), c2 = c0.clone();
                        Gemm.sgemm(transA, transB, m, n, k, 0.7f, a, 0, lda, b, 0, ldb, beta, c1, 0, n);
                        Gemm.sgemm(transA, m, 0.7f, a, 0, lda, Gemm.packB(transB, k, n, b, 0, ldb), beta, c2, 0, n);
                        assertArrayEquals(c1, c2, 0f, m + "x" + k + "x" + n + " transA " + transA + " transB " + transB + " beta " + beta);

                        double[] ad = randomD(r, m * k), bd = randomD(r, k * n), cd = randomD(r, m * n);
                        double[] d1 = cd.clone(), d2 = cd.clone();
                        Gemm.dgemm(transA, transB, m, n, k, 0.7, ad, 0, lda, bd, 0, ldb, beta, d1, 0, n);
                        Gemm.dgemm(transA, m, 0.7, ad, 0, lda, Gemm.packB(transB, k, n, bd, 0, ldb), beta, d2, 0, n);
                        assertArrayEquals(d1, d2, 0, "double " + m + "x" + k + "x" + n);
                    }
    }

    @Test void offsetsAndStridesOfAAndCAreHonoured() {
        SplittableRandom r = new SplittableRandom(2);
        int m = 5, k = 40, n = 48, lda = 50, ldc = 60;
        float[] a = randomF(r, 3 + m * lda), b = randomF(r, k * n), c1 = randomF(r, 7 + m * ldc), c2 = c1.clone();
        Gemm.sgemm(false, false, m, n, k, 1f, a, 3, lda, b, 0, n, 1f, c1, 7, ldc);
        Gemm.sgemm(false, m, 1f, a, 3, lda, Gemm.packB(false, k, n, b, 0, n), 1f, c2, 7, ldc);
        assertArrayEquals(c1, c2, 0f);
    }

    @Test void aBThatDoesNotFitItsArrayIsRejectedBeforePacking() {
        assertThrows(IllegalArgumentException.class, () -> Gemm.packB(false, 10, 10, new float[50], 0, 10));
    }
}
