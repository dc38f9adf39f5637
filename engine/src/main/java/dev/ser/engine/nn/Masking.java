package dev.ser.engine.nn;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

/** Masks for padded sequences: step t of sequence b is valid when t < lengths[b]. */
public final class Masking {
    private Masking() {}

    /** [B, T, 1] with 1 at valid steps and 0 past each sequence's length. */
    public static Tensor timeMask(int[] lengths, int steps, DType dtype) {
        double[] m = new double[lengths.length * steps];
        for (int b = 0; b < lengths.length; b++) {
            checkLength(lengths[b], steps, b);
            for (int t = 0; t < lengths[b]; t++) m[b * steps + t] = 1;
        }
        return Tensor.of(dtype, m, lengths.length, steps, 1);
    }

    /** The same mask on x's backend (masks are built on the host from the lengths, then moved once). */
    public static Tensor timeMask(int[] lengths, Tensor x) {
        return timeMask(lengths, x.dim(1), x.dtype()).to(x.backend());
    }

    /** x [B, T, F] with the steps past each length set to zero. */
    public static Tensor apply(Tensor x, int[] lengths) {
        if (x.rank() != 3 || x.dim(0) != lengths.length)
            throw new IllegalArgumentException("masking expects [B, T, F] with B = " + lengths.length + " lengths, got rank " + x.rank());
        return x.mul(timeMask(lengths, x));
    }

    static void checkLength(int length, int steps, int b) {
        if (length < 1 || length > steps)
            throw new IllegalArgumentException("length " + length + " of sequence " + b + " is outside [1, " + steps + "]");
    }
}
