package dev.ser.engine.backend.cpu;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * exp and tanh on float vectors from adds, multiplies, one divide and bit tricks only, so the result is
 * the same bit for bit whether the code runs interpreted or compiled by C2.
 *
 * <p>Why not {@code lanewise(EXP)} / {@code lanewise(TANH)}: compiled, those call Intel's SVML; interpreted
 * (or before C2 reaches the loop) they fall back to {@code Math.tanh} per lane in double. The two differ in
 * the last bits, so the same training run gave different losses depending on when the JIT kicked in, and a
 * resumed run could not reproduce an uninterrupted one. IEEE add/mul/div and int conversions have one
 * answer in every tier.
 *
 * <p>Accuracy (VectorMathTest, against double-precision Math over the float range that matters):
 * exp within 1 ulp, tanh and sigmoid within 3 ulp; the LSTM's float32 result stays within ~1e-6 of float64.
 */
final class VectorMath {
    private VectorMath() {}

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * Cephes expf: x = n ln2 + r with |r| <= ln2/2 (ln2 split in two parts so n ln2 is exact), a degree-7
     * polynomial for e^r, then 2^n put straight into the exponent bits. Inputs are clamped to
     * [-87.3, 88.7], where 2^n stays a normal float: below, e^x is under float's smallest normal anyway.
     */
    static FloatVector exp(FloatVector x) {
        x = x.max(-87.3f).min(88.7f);
        FloatVector t = x.mul(1.44269504088896341f); // log2(e)
        // round half away from zero via truncation, identical in every tier
        FloatVector half = FloatVector.broadcast(S, 0.5f).blend(-0.5f, t.compare(VectorOperators.LT, 0f));
        IntVector n = (IntVector) t.add(half).convert(VectorOperators.F2I, 0);
        FloatVector fn = (FloatVector) n.convert(VectorOperators.I2F, 0);
        FloatVector r = x.sub(fn.mul(0.693359375f)).sub(fn.mul(-2.12194440e-4f));
        FloatVector z = r.mul(r);
        FloatVector p = r.mul(1.9875691500e-4f).add(1.3981999507e-3f);
        p = p.mul(r).add(8.3334519073e-3f);
        p = p.mul(r).add(4.1665795894e-2f);
        p = p.mul(r).add(1.6666665459e-1f);
        p = p.mul(r).add(5.0000001201e-1f);
        p = p.mul(z).add(r).add(1f);
        FloatVector scale = n.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
        return p.mul(scale);
    }

    /** 1 / (1 + e^-x): relative accuracy everywhere, including where the sigmoid is tiny. */
    static FloatVector sigmoid(FloatVector x) {
        return FloatVector.broadcast(S, 1f).div(exp(x.neg()).add(1f));
    }

    /**
     * Cephes tanhf: an odd polynomial x + x^3 P(x^2) for |x| < 0.625, where 1 - 2/(e^2x + 1) would cancel,
     * and sign(x) (1 - 2/(e^2|x| + 1)) above (both lanes computed, then blended). Beyond |x| = 9, tanh is 1
     * in float.
     */
    static FloatVector tanh(FloatVector x) {
        FloatVector ax = x.abs().min(9f);
        FloatVector big = FloatVector.broadcast(S, 1f).sub(FloatVector.broadcast(S, 2f).div(exp(ax.add(ax)).add(1f)));
        big = big.blend(big.neg(), x.compare(VectorOperators.LT, 0f));
        FloatVector z = x.mul(x);
        FloatVector p = z.mul(-5.70498872745e-3f).add(2.06390887954e-2f);
        p = p.mul(z).add(-5.37397155531e-2f);
        p = p.mul(z).add(1.33314422036e-1f);
        p = p.mul(z).add(-3.33332819422e-1f);
        FloatVector small = p.mul(z).mul(x).add(x);
        return big.blend(small, x.abs().compare(VectorOperators.LT, 0.625f));
    }

    static VectorSpecies<Float> species() { return S; }
}
