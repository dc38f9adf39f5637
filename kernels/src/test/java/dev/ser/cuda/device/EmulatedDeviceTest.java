package dev.ser.cuda.device;

import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emulator's own contract: clear errors, checked memory, and a GEMM with cuBLAS's conventions. */
class EmulatedDeviceTest {
    @Test
    void unknownKernelAndWrongArgumentCountAreClearErrors() {
        try (Device d = dev.ser.cuda.kernels.TestDevices.emulatedOrSkip()) {
            CudaException e = assertThrows(CudaException.class,
                    () -> d.launch("no_such_kernel", Dim3.of(1), Dim3.of(32), 0, new KernelArgs()));
            assertTrue(e.getMessage().contains("no kernel named 'no_such_kernel'"), e.getMessage());
            CudaException args = assertThrows(CudaException.class,
                    () -> d.launch("fill_f32", Dim3.of(1), Dim3.of(32), 0, new KernelArgs().i64(1)));
            assertTrue(args.getMessage().contains("the kernel takes 3"), args.getMessage());
            // Dynamic shared memory is provided (a buffer per block); a cooperative grid keeps every block's
            // threads alive at once, up to 64 blocks.
            d.launch("fill_f32", Dim3.of(1), Dim3.of(32), 1024, new KernelArgs().i64(0).f32(0).ptr(0));
            assertEquals(64, d.maxCooperativeBlocks("fill_f32", 32, 1024));
            assertEquals(0, d.maxCooperativeBlocks("fill_f32", 32, d.maxDynamicSharedBytes() + 1), "over the shared memory limit");
            CudaException grid = assertThrows(CudaException.class, () -> d.launchCooperative("fill_f32", Dim3.of(65), Dim3.of(32), 0,
                    new KernelArgs().i64(0).f32(0).ptr(0)));
            assertTrue(grid.getMessage().contains("65 blocks"), grid.getMessage());
        }
    }

    @Test
    void memoryIsCheckedAndAligned() {
        try (EmulatedDevice d = (EmulatedDevice) dev.ser.cuda.kernels.TestDevices.emulatedOrSkip()) {
            long a = d.alloc(100);
            assertEquals(0, a % 256, "cuMemAlloc's alignment");
            assertEquals(1, d.liveBlocks());
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment host = arena.allocate(200);
                assertThrows(IllegalArgumentException.class, () -> d.copyToDevice(host, a, 200), "copy past the block");
            }
            assertThrows(IllegalStateException.class, () -> d.free(a, 99), "free with the wrong size");
            d.free(a, 100);
            assertThrows(IllegalStateException.class, () -> d.free(a, 100), "double free");
            assertEquals(0, d.liveBlocks());
        }
    }

    @Test
    void kernelsRunAndTheRegistryListsThem() {
        try (EmulatedDevice d = (EmulatedDevice) dev.ser.cuda.kernels.TestDevices.emulatedOrSkip(); Arena arena = Arena.ofConfined()) {
            assertTrue(d.kernelNames().contains("softmax_cross_entropy_f64"), d.kernelNames().toString());
            long out = d.alloc(4 * 1000);
            d.launch("fill_f32", Dim3.of(2), Dim3.of(256), 0, new KernelArgs().i64(1000).f32(2.5f).ptr(out));
            MemorySegment host = arena.allocate(4000);
            d.copyToHost(out, host, 4000);
            for (int i = 0; i < 1000; i++) assertEquals(2.5f, host.getAtIndex(ValueLayout.JAVA_FLOAT, i));
            d.free(out, 4000);
        }
    }

    @Test
    void gemmStridedBatchedIsColumnMajorAsCuBlas() {
        // Against the definition, element by element, in double: C_i = alpha op(A_i) op(B_i) + beta C_i.
        SplittableRandom rng = new SplittableRandom();
        int m = 5, n = 7, k = 3, batch = 3;
        for (boolean ta : new boolean[]{false, true})
            for (boolean tb : new boolean[]{false, true})
                try (Device d = dev.ser.cuda.kernels.TestDevices.emulatedOrSkip(); Arena arena = Arena.ofConfined()) {
                    int lda = (ta ? k : m) + 2, ldb = (tb ? n : k) + 1, ldc = m + 3;
                    long sa = (long) lda * (ta ? m : k), sb = 0, sc = (long) ldc * n; // B broadcast (stride 0)
                    double[] a = random(rng, (int) sa * batch), b = random(rng, ldb * (tb ? k : n)), c = random(rng, (int) sc * batch);
                    long da = put(d, arena, a), db = put(d, arena, b), dc = put(d, arena, c);
                    d.blas().gemmStridedBatched(Blas.Precision.F64, ta, tb, m, n, k, 1.5, da, lda, sa, db, ldb, sb, 0.5, dc, ldc, sc, batch);
                    MemorySegment got = arena.allocate(8L * c.length);
                    d.copyToHost(dc, got, 8L * c.length);
                    for (int bi = 0; bi < batch; bi++)
                        for (int i = 0; i < m; i++)
                            for (int j = 0; j < n; j++) {
                                double s = 0;
                                for (int p = 0; p < k; p++) {
                                    double av = ta ? a[(int) (bi * sa) + p + i * lda] : a[(int) (bi * sa) + i + p * lda];
                                    double bv = tb ? b[j + p * ldb] : b[p + j * ldb];
                                    s += av * bv;
                                }
                                int at = (int) (bi * sc) + i + j * ldc;
                                assertEquals(1.5 * s + 0.5 * c[at], got.getAtIndex(ValueLayout.JAVA_DOUBLE, at), 1e-12,
                                        "C[" + bi + "](" + i + ", " + j + ") transA=" + ta + " transB=" + tb);
                            }
                    d.free(da, 8L * a.length);
                    d.free(db, 8L * b.length);
                    d.free(dc, 8L * c.length);
                }
    }

    private static double[] random(SplittableRandom rng, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = rng.nextDouble(-1, 1);
        return v;
    }

    private static long put(Device d, Arena arena, double[] v) {
        long a = d.alloc(8L * v.length);
        d.copyToDevice(arena.allocateFrom(ValueLayout.JAVA_DOUBLE, v), a, 8L * v.length);
        return a;
    }
}
