package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

/** Sums and means; the backward of a reduction broadcasts the gradient back over the reduced axis. */
public final class Reduce {
    private Reduce() {}

    public static Tensor sum(Tensor a, int axis, boolean keepDim) {
        int ax = Shape.axis(axis, a.rank());
        Tensor out = a.backend().sum(a, ax, keepDim);
        int[] kept = a.shape();
        kept[ax] = 1;
        return Autograd.record("sum", out, new Tensor[]{a}, g -> new Tensor[]{g.backend().expand(g.reshape(kept), a.shape())});
    }

    public static Tensor sumAll(Tensor a) {
        Tensor flat = a.reshape(a.numel());
        return sum(flat, 0, false);
    }

    public static Tensor mean(Tensor a, int axis, boolean keepDim) {
        return sum(a, axis, keepDim).scale(1.0 / a.dim(axis));
    }

    public static Tensor meanAll(Tensor a) {
        return sumAll(a).scale(1.0 / a.numel());
    }
}
