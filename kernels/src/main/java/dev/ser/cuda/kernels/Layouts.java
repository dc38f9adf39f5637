package dev.ser.cuda.kernels;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The by-value structs of src/main/cuda/strided.cuh, as bytes: {@code StridedLayout {int rank; int
 * shape[8]; int strides[8];}} and {@code BinaryLayout {int rank; int shape[8]; int aStrides[8]; int
 * bStrides[8];}}, int32 little-endian, no padding, 4-byte aligned.
 */
final class Layouts {
    private Layouts() {}

    static final int MAX_RANK = 8;

    static byte[] strided(int[] shape, int[] strides) {
        check(shape, strides, "strides");
        ByteBuffer b = ByteBuffer.allocate(4 * (1 + 2 * MAX_RANK)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length);
        put(b, shape);
        put(b, strides);
        return b.array();
    }

    static byte[] binary(int[] shape, int[] aStrides, int[] bStrides) {
        check(shape, aStrides, "a's strides");
        check(shape, bStrides, "b's strides");
        ByteBuffer b = ByteBuffer.allocate(4 * (1 + 3 * MAX_RANK)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(shape.length);
        put(b, shape);
        put(b, aStrides);
        put(b, bStrides);
        return b.array();
    }

    /** C-order strides of a contiguous tensor of this shape. */
    static int[] contiguous(int[] shape) {
        int[] s = new int[shape.length];
        int step = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            s[i] = step;
            step *= shape[i];
        }
        return s;
    }

    static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static void put(ByteBuffer b, int[] values) {
        for (int i = 0; i < MAX_RANK; i++) b.putInt(i < values.length ? values[i] : 0);
    }

    private static void check(int[] shape, int[] strides, String what) {
        if (shape.length > MAX_RANK)
            throw new IllegalArgumentException("rank " + shape.length + " tensors are beyond the kernels' limit of " + MAX_RANK
                    + " (SER_MAX_RANK in strided.cuh); reshape to merge axes");
        if (strides.length != shape.length)
            throw new IllegalArgumentException(what + " have " + strides.length + " entries for a rank " + shape.length + " shape");
        for (int d : shape) if (d < 1) throw new IllegalArgumentException("shape entries must be positive for a strided kernel");
    }
}
