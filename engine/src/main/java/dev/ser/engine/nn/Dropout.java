package dev.ser.engine.nn;

import dev.ser.engine.tensor.Tensor;

import java.util.SplittableRandom;

/**
 * Inverted dropout: in training, each element is zeroed with probability p and the survivors are
 * scaled by 1/(1-p), so evaluation needs no rescaling. The mask comes from a seeded generator, so a
 * run is reproducible; backward multiplies by the same mask (it is an ordinary mul on the tape).
 */
public final class Dropout {
    private Dropout() {}

    public static Tensor apply(Tensor x, double p, boolean training, SplittableRandom rng) {
        if (p < 0 || p >= 1) throw new IllegalArgumentException("dropout probability must be in [0, 1), got " + p);
        if (!training || p == 0) return x;
        return x.mul(mask(x, p, rng));
    }

    /** A mask shaped like x with 0 or 1/(1-p), on x's backend (drawn on the host: the same masks on every device). */
    public static Tensor mask(Tensor x, double p, SplittableRandom rng) {
        double keep = 1 / (1 - p);
        double[] m = new double[x.numel()];
        for (int i = 0; i < m.length; i++) m[i] = rng.nextDouble() < p ? 0 : keep;
        return Tensor.of(x.dtype(), m, x.shape()).to(x.backend());
    }
}
