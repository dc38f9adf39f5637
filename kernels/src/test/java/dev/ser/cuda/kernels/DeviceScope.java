package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Device;
import dev.ser.cuda.device.EmulatedDevice;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A test's device buffers: uploads and downloads, every allocation freed on close, and (on the emulated
 * device) a check that nothing else leaked. Fresh outputs are filled with NaN, so an element a kernel
 * forgot to write cannot pass for a right answer.
 */
final class DeviceScope implements AutoCloseable {
    final Device device;
    final Kernels k;
    private final List<long[]> blocks = new ArrayList<>();
    private final int liveAtStart;

    DeviceScope(TestDevices.Kind kind) {
        device = kind.open();
        k = new Kernels(device);
        liveAtStart = device instanceof EmulatedDevice e ? e.liveBlocks() : 0;
    }

    long alloc(long bytes) {
        long a = device.alloc(bytes);
        blocks.add(new long[]{a, bytes});
        return a;
    }

    /** n elements of p, all NaN. */
    long output(DType p, long n) {
        double[] nan = new double[(int) n];
        java.util.Arrays.fill(nan, Double.NaN);
        return put(p, nan);
    }

    long put(DType p, double[] values) {
        long a = alloc(Math.max(1, (long) values.length * p.bytes));
        copyInto(p, values, a);
        return a;
    }

    /** Overwrites an existing buffer with values. */
    void copyInto(DType p, double[] values, long address) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate((long) values.length * p.bytes + 1, 8);
            for (int i = 0; i < values.length; i++) {
                if (p == DType.F32) s.setAtIndex(ValueLayout.JAVA_FLOAT, i, (float) values[i]);
                else s.setAtIndex(ValueLayout.JAVA_DOUBLE, i, values[i]);
            }
            device.copyToDevice(s, address, (long) values.length * p.bytes);
        }
    }

    long put(Tensor t) { return put(t.dtype(), t.toDoubleArray()); }

    long putInts(int[] values) {
        long a = alloc(Math.max(1, 4L * values.length));
        try (Arena arena = Arena.ofConfined()) {
            device.copyToDevice(arena.allocateFrom(ValueLayout.JAVA_INT, values), a, 4L * values.length);
        }
        return a;
    }

    double[] get(long address, DType p, int n) {
        double[] out = new double[n];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment s = arena.allocate((long) n * p.bytes + 1, 8);
            device.copyToHost(address, s, (long) n * p.bytes);
            for (int i = 0; i < n; i++)
                out[i] = p == DType.F32 ? s.getAtIndex(ValueLayout.JAVA_FLOAT, i) : s.getAtIndex(ValueLayout.JAVA_DOUBLE, i);
        }
        return out;
    }

    Tensor getTensor(long address, DType p, int... shape) {
        int n = 1;
        for (int d : shape) n *= d;
        return Tensor.of(p, get(address, p, n), shape);
    }

    @Override public void close() {
        for (long[] b : blocks) device.free(b[0], b[1]);
        if (device instanceof EmulatedDevice e)
            assertEquals(liveAtStart, e.liveBlocks(), "device blocks still allocated after the test (a wrapper leaked scratch memory)");
        device.close();
    }
}
