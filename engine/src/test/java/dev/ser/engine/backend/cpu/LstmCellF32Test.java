package dev.ser.engine.backend.cpu;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Vector API cell against the scalar one, and both against the float64 cell taken as exact:
 * the error of every output is measured in ulps of the float result.
 */
class LstmCellF32Test {

    /** H = 37 leaves a tail of 5 (AVX2) for the scalar loop; 256 is the training size. */
    @ParameterizedTest
    @ValueSource(ints = {37, 256})
    void vectorCellMatchesScalarAndFloat64(int hidden) {
        Random rnd = new Random(hidden);
        int g4 = 4 * hidden;
        // Pre-activations over a wide range (saturated and linear regions), states of either sign.
        float[] a = new float[g4], c0 = new float[hidden], h0 = new float[hidden];
        for (int k = 0; k < g4; k++) a[k] = (float) (rnd.nextGaussian() * 4);
        for (int j = 0; j < hidden; j++) {
            c0[j] = (float) (rnd.nextGaussian() * 2);
            h0[j] = (float) rnd.nextGaussian();
        }

        Run scalar = new Run(a, h0, c0, false), vector = new Run(a, h0, c0, true);
        double[] gD = toD(a), hD = toD(h0), cD = toD(c0), yD = new double[hidden];
        double[] hpD = new double[hidden], cpD = new double[hidden], tcD = new double[hidden];
        LstmCellF64.forward(hidden, gD, 0, hD, cD, 0, yD, 0, hpD, cpD, tcD, 0);

        // The activations are single transcendentals: their error in ulps of the result is the
        // accuracy of exp/tanh. c = f*c_{t-1} + i*g may cancel, so c (and tanh c, h, which move
        // by at most what c moves) are measured in ulps of the terms, |f*c_{t-1}| + |i*g|.
        double[] terms = new double[hidden];
        for (int j = 0; j < hidden; j++) terms[j] = Math.abs(gD[hidden + j] * c0[j]) + Math.abs(gD[j] * gD[2 * hidden + j]);
        double gateScalar = ulps(scalar.gates, gD, null), gateVector = ulps(vector.gates, gD, null);
        double stateScalar = Math.max(ulps(scalar.c, cD, terms), Math.max(ulps(scalar.h, hD, terms), ulps(scalar.tanhC, tcD, terms)));
        double stateVector = Math.max(ulps(vector.c, cD, terms), Math.max(ulps(vector.h, hD, terms), ulps(vector.tanhC, tcD, terms)));
        System.out.printf("LstmCellF32 H=%d forward vs float64: activations scalar %.2f ulp, vector %.2f ulp; "
                + "c, tanh c, h (ulps of the terms of c) scalar %.2f, vector %.2f%n", hidden, gateScalar, gateVector, stateScalar, stateVector);
        // Scalar: each activation rounded once from double (0.5 ulp). Vector: SVML's 1-ulp EXP/TANH,
        // and for the sigmoids an add and a divide in float (~2 ulp). c, h: two products and a sum
        // on top, a few ulps more.
        assertTrue(gateScalar <= 0.5 + 1e-9 && stateScalar <= 4, "scalar cell: " + gateScalar + ", " + stateScalar + " ulp");
        assertTrue(gateVector <= 3 && stateVector <= 8, "vector cell: " + gateVector + ", " + stateVector + " ulp");

        // Backward: same operations in the same order, so the vector version is bit-identical.
        float[] dy = new float[hidden], dh = new float[hidden], dc = new float[hidden];
        for (int j = 0; j < hidden; j++) {
            dy[j] = (float) rnd.nextGaussian();
            dh[j] = (float) rnd.nextGaussian();
            dc[j] = (float) rnd.nextGaussian();
        }
        float[] gS = scalar.gates.clone(), gV = scalar.gates.clone(), dcS = dc.clone(), dcV = dc.clone();
        LstmCellF32.backward(hidden, gS, 0, scalar.cPrev, scalar.tanhC, 0, dh, dcS, 0, dy, 0);
        LstmCellF32.backwardVector(hidden, gV, 0, scalar.cPrev, scalar.tanhC, 0, dh, dcV, 0, dy, 0);
        assertArrayEquals(gS, gV, "dL/da");
        assertArrayEquals(dcS, dcV, "dL/dc_{t-1}");
    }

    /** One forward step of one cell version on copies of the inputs. */
    private static final class Run {
        final float[] gates, h, c, y, hPrev, cPrev, tanhC;

        Run(float[] a, float[] h0, float[] c0, boolean vector) {
            int hidden = h0.length;
            gates = a.clone();
            h = h0.clone();
            c = c0.clone();
            y = new float[hidden];
            hPrev = new float[hidden];
            cPrev = new float[hidden];
            tanhC = new float[hidden];
            if (vector) LstmCellF32.forwardVector(hidden, gates, 0, h, c, 0, y, 0, hPrev, cPrev, tanhC, 0);
            else LstmCellF32.forward(hidden, gates, 0, h, c, 0, y, 0, hPrev, cPrev, tanhC, 0);
        }
    }

    private static double[] toD(float[] a) {
        double[] d = new double[a.length];
        for (int k = 0; k < a.length; k++) d[k] = a[k];
        return d;
    }

    /** Worst |got - exact| in units of the float ulp at max(|exact|, scale) (scale null: |exact|). */
    private static double ulps(float[] got, double[] exact, double[] scale) {
        double worst = 0;
        for (int k = 0; k < got.length; k++) {
            double ulp = Math.ulp((float) Math.max(Math.abs(exact[k]), scale == null ? 0 : scale[k]));
            worst = Math.max(worst, Math.abs(got[k] - exact[k]) / ulp);
        }
        return worst;
    }
}
