package dev.ser.engine.backend;

import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.List;

/**
 * The shape arithmetic and argument checks every backend shares, so that the CPU and the CUDA backend
 * accept the same calls, give the same shapes and fail with the same messages; only the loops differ.
 */
public final class ShapeRules {
    private ShapeRules() {}

    /** (outer, length, inner) of an axis: the view every reduction and softmax along an axis works on. */
    public record AxisLayout(int outer, int length, int inner) {
        public static AxisLayout of(int[] shape, int axis) {
            int outer = 1, inner = 1;
            for (int i = 0; i < axis; i++) outer *= shape[i];
            for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
            return new AxisLayout(outer, shape[axis], inner);
        }
    }

    /** The shape after reducing {@code axis}: kept as 1, or dropped. */
    public static int[] reducedShape(int[] shape, int axis, boolean keepDim) {
        if (keepDim) {
            int[] s = shape.clone();
            s[axis] = 1;
            return s;
        }
        int[] s = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) if (i != axis) s[j++] = shape[i];
        return s;
    }

    public static void sameDType(Tensor a, Tensor b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException("dtype mismatch: " + a.dtype() + " and " + b.dtype()
                    + "; convert one with .to(DType." + a.dtype() + ")");
    }

    /**
     * A batched product over the last two axes: op(A) is m x k, op(B) is k x n, the leading (batch) axes
     * broadcast to {@code batch}; the result has shape {@code batch + [m, n]}.
     */
    public record MatMul(int m, int n, int k, int[] batchA, int[] batchB, int[] batch, int[] outShape) {
        public static MatMul of(Tensor a, Tensor b, boolean transA, boolean transB) {
            sameDType(a, b);
            int[] as = a.shape(), bs = b.shape();
            if (as.length < 2 || bs.length < 2)
                throw new IllegalArgumentException("matmul needs at least 2-D operands, got " + Shape.str(as) + " and " + Shape.str(bs));
            int m = transA ? as[as.length - 1] : as[as.length - 2];
            int k = transA ? as[as.length - 2] : as[as.length - 1];
            int kb = transB ? bs[bs.length - 1] : bs[bs.length - 2];
            int n = transB ? bs[bs.length - 2] : bs[bs.length - 1];
            if (k != kb)
                throw new IllegalArgumentException("matmul: inner dimensions differ: " + Shape.str(as) + (transA ? "^T" : "") + " x "
                        + Shape.str(bs) + (transB ? "^T" : "") + " (" + k + " vs " + kb + ")");
            int[] batchA = Arrays.copyOf(as, as.length - 2), batchB = Arrays.copyOf(bs, bs.length - 2);
            int[] batch = Shape.broadcast(batchA, batchB);
            int[] outShape = Arrays.copyOf(batch, batch.length + 2);
            outShape[batch.length] = m;
            outShape[batch.length + 1] = n;
            return new MatMul(m, n, k, batchA, batchB, batch, outShape);
        }
    }

    /** The shape of {@code permute(perm)}; checks that perm is a permutation of the axes. */
    public static int[] permutedShape(int[] shape, int[] perm) {
        if (perm.length != shape.length) throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " for rank " + shape.length);
        int[] out = new int[shape.length];
        boolean[] seen = new boolean[shape.length];
        for (int i = 0; i < perm.length; i++) {
            int p = Shape.axis(perm[i], shape.length);
            if (seen[p]) throw new IllegalArgumentException("permute " + Arrays.toString(perm) + " repeats axis " + p);
            seen[p] = true;
            out[i] = shape[p];
        }
        return out;
    }

    /** The shape of {@code slice(axis, from, to)}; checks the range. */
    public static int[] slicedShape(int[] shape, int axis, int from, int to) {
        if (from < 0 || to > shape[axis] || from > to)
            throw new IllegalArgumentException("slice [" + from + ", " + to + ") out of range for axis " + axis + " of " + Shape.str(shape));
        int[] out = shape.clone();
        out[axis] = to - from;
        return out;
    }

    /** The shape of the parts joined along {@code axis}; checks dtypes and that every other axis agrees. */
    public static int[] concatShape(List<Tensor> parts, int axis) {
        Tensor first = parts.getFirst();
        int[] shape = first.shape();
        int total = 0;
        for (Tensor t : parts) {
            sameDType(first, t);
            int[] s = t.shape();
            for (int i = 0; i < shape.length; i++)
                if (i != axis && (s.length != shape.length || s[i] != shape[i]))
                    throw new IllegalArgumentException("concat along axis " + axis + ": shapes " + Shape.str(shape) + " and " + Shape.str(s) + " differ elsewhere");
            total += s[axis];
        }
        int[] out = shape.clone();
        out[axis] = total;
        return out;
    }
}
