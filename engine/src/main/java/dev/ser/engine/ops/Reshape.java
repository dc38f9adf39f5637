package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/** Shape ops. reshape is a view (no copy); the others copy, and their backward is the adjoint copy. */
public final class Reshape {
    private Reshape() {}

    /** One dimension may be -1 (inferred). */
    public static Tensor reshape(Tensor a, int... newShape) {
        int[] s = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < s.length; i++) {
            if (s[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape " + Shape.str(newShape) + ": only one -1 allowed");
                infer = i;
            } else known *= s[i];
        }
        if (infer >= 0) {
            if (known == 0 || a.numel() % known != 0)
                throw new IllegalArgumentException("cannot reshape " + Shape.str(a.shape()) + " to " + Shape.str(newShape));
            s[infer] = a.numel() / known;
        }
        if (Shape.numel(s) != a.numel())
            throw new IllegalArgumentException("cannot reshape " + Shape.str(a.shape()) + " (" + a.numel() + " elements) to " + Shape.str(s));
        Tensor out = new Tensor(a.storage(), s);
        int[] original = a.shape();
        return Autograd.record("reshape", out, new Tensor[]{a}, g -> new Tensor[]{new Tensor(g.storage(), original)});
    }

    public static Tensor permute(Tensor a, int... perm) {
        Tensor out = a.backend().permute(a, perm);
        int[] inverse = new int[perm.length];
        for (int i = 0; i < perm.length; i++) inverse[Shape.axis(perm[i], perm.length)] = i;
        return Autograd.record("permute", out, new Tensor[]{a}, g -> new Tensor[]{g.backend().permute(g, inverse)});
    }

    public static Tensor transpose(Tensor a, int x, int y) {
        int[] perm = new int[a.rank()];
        for (int i = 0; i < perm.length; i++) perm[i] = i;
        x = Shape.axis(x, a.rank());
        y = Shape.axis(y, a.rank());
        perm[x] = y;
        perm[y] = x;
        return permute(a, perm);
    }

    /** Elements [from, to) along an axis. */
    public static Tensor slice(Tensor a, int axis, int from, int to) {
        int ax = Shape.axis(axis, a.rank());
        Tensor out = a.backend().slice(a, ax, from, to);
        int[] shape = a.shape();
        return Autograd.record("slice", out, new Tensor[]{a}, g -> new Tensor[]{g.backend().unslice(g, shape, ax, from)});
    }

    /** Index {@code i} along an axis, which disappears. */
    public static Tensor select(Tensor a, int axis, int i) {
        int ax = Shape.axis(axis, a.rank());
        int[] s = a.shape();
        int[] out = new int[s.length - 1];
        for (int k = 0, j = 0; k < s.length; k++) if (k != ax) out[j++] = s[k];
        return slice(a, ax, i, i + 1).reshape(out);
    }

    public static Tensor concat(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new IllegalArgumentException("concat of no tensors");
        int ax = Shape.axis(axis, parts.getFirst().rank());
        Tensor out = parts.getFirst().backend().concat(parts, ax);
        return Autograd.record("concat", out, parts.toArray(new Tensor[0]), g -> {
            Tensor[] grads = new Tensor[parts.size()];
            int at = 0;
            for (int i = 0; i < grads.length; i++) {
                int len = parts.get(i).dim(ax);
                grads[i] = g.backend().slice(g, ax, at, at + len);
                at += len;
            }
            return grads;
        });
    }

    /** Stacks equal-shaped tensors along a new axis. */
    public static Tensor stack(List<Tensor> parts, int axis) {
        if (parts.isEmpty()) throw new IllegalArgumentException("stack of no tensors");
        int rank = parts.getFirst().rank() + 1;
        int ax = Shape.axis(axis, rank);
        List<Tensor> expanded = new ArrayList<>(parts.size());
        for (Tensor t : parts) {
            int[] s = t.shape();
            int[] e = new int[rank];
            for (int i = 0, j = 0; i < rank; i++) e[i] = i == ax ? 1 : s[j++];
            expanded.add(reshape(t, e));
        }
        return concat(expanded, ax);
    }
}
