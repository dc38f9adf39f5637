package dev.ser.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;

class VectorMathTest {
    /** Max error in float ulps of the exact (double) value over a dense sweep of [lo, hi]. */
    private static double maxUlps(java.util.function.UnaryOperator<FloatVector> f, java.util.function.DoubleUnaryOperator exact,
                                  float lo, float hi) {
        int n = FloatVector.SPECIES_PREFERRED.length(), samples = 200_000;
        float[] in = new float[samples / n * n], out = new float[in.length];
        for (int i = 0; i < in.length; i++) in[i] = lo + (hi - lo) * i / (in.length - 1);
        for (int i = 0; i < in.length; i += n) f.apply(FloatVector.fromArray(FloatVector.SPECIES_PREFERRED, in, i)).intoArray(out, i);
        double worst = 0;
        for (int i = 0; i < in.length; i++) {
            double e = exact.applyAsDouble(in[i]);
            worst = Math.max(worst, Math.abs(out[i] - e) / Math.ulp((float) e));
        }
        return worst;
    }

    @Test void expIsWithinOneAndAHalfUlps() {
        double u = maxUlps(VectorMath::exp, Math::exp, -87f, 88f);
        System.out.println("exp max error " + u + " ulp");
        assertTrue(u <= 1.5, u + " ulp");
    }

    @Test void tanhIsWithinTwoUlps() {
        double u = maxUlps(VectorMath::tanh, Math::tanh, -10f, 10f);
        System.out.println("tanh max error " + u + " ulp");
        assertTrue(u <= 2, u + " ulp");
    }

    @Test void sigmoidIsWithinThreeUlps() {
        double u = maxUlps(VectorMath::sigmoid, x -> 1 / (1 + Math.exp(-x)), -80f, 30f);
        System.out.println("sigmoid max error " + u + " ulp");
        assertTrue(u <= 3, u + " ulp");
    }
}
