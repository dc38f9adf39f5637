package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.Backend.BinaryOp;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

/**
 * Elementwise arithmetic with broadcasting. Backward of a broadcast op sums the gradient over the axes
 * an operand was stretched along ({@link Backend#reduceTo}).
 */
public final class Arith {
    private Arith() {}

    public static Tensor add(Tensor a, Tensor b) {
        Tensor out = a.backend().binary(BinaryOp.ADD, a, b);
        return Autograd.record("add", out, new Tensor[]{a, b}, g -> new Tensor[]{
                g.backend().reduceTo(g, a.shape()), g.backend().reduceTo(g, b.shape())});
    }

    public static Tensor sub(Tensor a, Tensor b) {
        Tensor out = a.backend().binary(BinaryOp.SUB, a, b);
        return Autograd.record("sub", out, new Tensor[]{a, b}, g -> new Tensor[]{
                g.backend().reduceTo(g, a.shape()), g.backend().reduceTo(g.backend().affine(g, -1, 0), b.shape())});
    }

    public static Tensor mul(Tensor a, Tensor b) {
        Backend k = a.backend();
        Tensor out = k.binary(BinaryOp.MUL, a, b);
        return Autograd.record("mul", out, new Tensor[]{a, b}, g -> new Tensor[]{
                a.requiresGrad() ? k.reduceTo(k.binary(BinaryOp.MUL, g, b), a.shape()) : null,
                b.requiresGrad() ? k.reduceTo(k.binary(BinaryOp.MUL, g, a), b.shape()) : null});
    }

    /** d(a/b)/da = 1/b; d(a/b)/db = -a/b^2 = -out/b. */
    public static Tensor div(Tensor a, Tensor b) {
        Backend k = a.backend();
        Tensor out = k.binary(BinaryOp.DIV, a, b);
        return Autograd.record("div", out, new Tensor[]{a, b}, g -> new Tensor[]{
                a.requiresGrad() ? k.reduceTo(k.binary(BinaryOp.DIV, g, b), a.shape()) : null,
                b.requiresGrad() ? k.reduceTo(k.affine(k.binary(BinaryOp.DIV, k.binary(BinaryOp.MUL, g, out), b), -1, 0), b.shape()) : null});
    }

    public static Tensor scale(Tensor a, double s) {
        Tensor out = a.backend().affine(a, s, 0);
        return Autograd.record("scale", out, new Tensor[]{a}, g -> new Tensor[]{g.backend().affine(g, s, 0)});
    }

    public static Tensor addScalar(Tensor a, double s) {
        Tensor out = a.backend().affine(a, 1, s);
        return Autograd.record("add_scalar", out, new Tensor[]{a}, g -> new Tensor[]{g});
    }

    public static Tensor cast(Tensor a, DType dtype) {
        DType from = a.dtype();
        Tensor out = a.backend().cast(a, dtype);
        return Autograd.record("cast", out, new Tensor[]{a}, g -> new Tensor[]{g.backend().cast(g, from)});
    }
}
