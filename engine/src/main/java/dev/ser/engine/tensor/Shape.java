package dev.ser.engine.tensor;

import java.util.Arrays;

/** Shape arithmetic: element counts, row-major strides, and NumPy broadcasting. */
public final class Shape {
    private Shape() {}

    public static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
        return (int) n;
    }

    /** Row-major (C order) strides in elements. */
    public static int[] strides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= shape[i];
        }
        return s;
    }

    /** NumPy broadcasting: align trailing axes; a dimension of 1 stretches. */
    public static int[] broadcast(int[] a, int[] b) {
        int n = Math.max(a.length, b.length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.length ? 1 : a[i - (n - a.length)];
            int db = i < n - b.length ? 1 : b[i - (n - b.length)];
            if (da != db && da != 1 && db != 1)
                throw new IllegalArgumentException("shapes " + str(a) + " and " + str(b) + " do not broadcast (axis "
                        + i + ": " + da + " vs " + db + ")");
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /**
     * Strides for reading a tensor of shape {@code from} as if it had the broadcast shape {@code to}:
     * stretched axes get stride 0.
     */
    public static int[] broadcastStrides(int[] from, int[] to) {
        int[] s = new int[to.length];
        int[] own = strides(from);
        int lead = to.length - from.length;
        for (int i = 0; i < to.length; i++) {
            if (i < lead) s[i] = 0;
            else s[i] = from[i - lead] == 1 && to[i] != 1 ? 0 : own[i - lead];
        }
        return s;
    }

    /** Normalizes a possibly negative axis. */
    public static int axis(int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        return a;
    }

    public static String str(int[] shape) { return Arrays.toString(shape); }
}
