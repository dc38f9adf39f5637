package dev.ser.cuda.kernels;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.SplittableRandom;

/** Fresh random inputs each run; the seed goes into every failure message (set -Dser.test.seed to replay). */
final class Random {
    final long seed = Long.getLong("ser.test.seed", System.nanoTime());
    final SplittableRandom rng = new SplittableRandom(seed);

    Tensor uniform(DType p, double lo, double hi, int... shape) { return Tensor.uniform(p, rng, lo, hi, shape); }

    Tensor normal(DType p, int... shape) { return Tensor.randn(p, rng, 1, shape); }

    int[] ints(int n, int lo, int hiExclusive) {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextInt(lo, hiExclusive);
        return v;
    }

    String tag() { return " (seed " + seed + ")"; }
}
