package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.cuda.device.Blas.Precision;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real GPU: memory, copies, errors, cuBLAS against a plain Java triple loop, events. Skips with the reason
 * from {@link Devices#cudaOrNull} where there is no GPU; on the GPU machine every test checks values.
 */
class CudaDeviceTest {
    private static CudaDevice device;
    private static String why;

    @BeforeAll static void open() {
        StringBuilder reason = new StringBuilder();
        device = (CudaDevice) Devices.cudaOrNull(reason);
        why = reason.toString();
        if (device != null) System.out.println("CudaDeviceTest on " + device.name());
    }

    @AfterAll static void close() { if (device != null) device.close(); }

    @BeforeEach void needsAGpu() { if (device == null) org.junit.jupiter.api.Assumptions.abort("no GPU: " + why); }

    @Test void nameSaysWhichGpuArchitectureMemoryAndDriver() {
        assertTrue(device.name().matches(".+ \\(sm_\\d+, \\d+ GiB, driver \\d+\\.\\d+\\)"), device.name());
    }

    private static float[] randomFloats(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = r.nextFloat() * 2 - 1;
        return v;
    }

    private static double[] randomDoubles(int n, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int i = 0; i < n; i++) v[i] = r.nextDouble() * 2 - 1;
        return v;
    }

    private static long upload(float[] v) {
        long d = device.alloc(4L * v.length);
        device.copyToDevice(MemorySegment.ofArray(v), d, 4L * v.length);
        return d;
    }

    private static long upload(double[] v) {
        long d = device.alloc(8L * v.length);
        device.copyToDevice(MemorySegment.ofArray(v), d, 8L * v.length);
        return d;
    }

    private static float[] downloadFloats(long d, int n) {
        float[] v = new float[n];
        device.copyToHost(d, MemorySegment.ofArray(v), 4L * n);
        return v;
    }

    private static double[] downloadDoubles(long d, int n) {
        double[] v = new double[n];
        device.copyToHost(d, MemorySegment.ofArray(v), 8L * n);
        return v;
    }

    @Test void heapAndNativeSegmentsRoundTrip() {
        float[] data = randomFloats(3_000_001, 1);              // 12 MB: a large size class, odd length
        long d = upload(data);
        assertArrayEquals(data, downloadFloats(d, data.length));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(4096, 16);
            for (int i = 0; i < 1024; i++) in.setAtIndex(ValueLayout.JAVA_INT, i, i * 7 - 3);
            long small = device.alloc(4096);
            device.copyToDevice(in, small, 4096);
            MemorySegment out = arena.allocate(4096, 16);
            device.copyToHost(small, out, 4096);
            assertEquals(-1L, in.mismatch(out));
            device.free(small, 4096);
        }
        device.free(d, 4L * data.length);
    }

    @Test void zeroAndCopyOnDeviceWorkAtOffsets() {
        float[] data = randomFloats(1000, 2);
        long a = upload(data);
        long b = device.alloc(4000);
        device.zero(b, 4000);
        device.copyOnDevice(a + 400, b + 800, 400);             // floats 100..199 to 200..299
        device.zero(a, 40);                                     // floats 0..9
        float[] expectB = new float[1000];
        System.arraycopy(data, 100, expectB, 200, 100);
        assertArrayEquals(expectB, downloadFloats(b, 1000));
        float[] expectA = data.clone();
        java.util.Arrays.fill(expectA, 0, 10, 0f);
        assertArrayEquals(expectA, downloadFloats(a, 1000));
        device.free(a, 4000);
        device.free(b, 4000);
    }

    @Test void freedBlocksAreReusedFromTheCache() {
        long a = device.alloc(123_456);                         // 123,904-byte class (242 x 512)
        device.free(a, 123_456);
        long hits = device.memoryStats().servedFromCache();
        long b = device.alloc(123_400);                         // the same class
        assertEquals(a, b);
        assertEquals(hits + 1, device.memoryStats().servedFromCache());
        device.free(b, 123_400);
    }

    @Test void anImpossibleRequestSaysHowMuchWasAskedAndWhatToDo() {
        CudaException e = assertThrows(CudaException.class, () -> device.alloc(1L << 50));
        String m = e.getMessage();
        assertTrue(m.startsWith("cuMemAlloc failed: CUDA_ERROR_OUT_OF_MEMORY (2)"), m);
        assertTrue(m.contains("asked for 1.0 PiB"), m);
        assertTrue(m.contains("is free on"), m);
        assertTrue(m.endsWith("lower --batch-size"), m);
        long ok = device.alloc(1 << 20);                        // the device is still usable
        device.free(ok, 1 << 20);
        device.synchronize();
    }

    @Test void anotherThreadCanUseTheDevice() throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                float[] data = randomFloats(777, 3);
                long d = upload(data);
                assertArrayEquals(data, downloadFloats(d, data.length));
                device.free(d, 4L * data.length);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        t.start();
        t.join();
        if (failure.get() != null) throw new AssertionError("on another thread", failure.get());
        device.synchronize();                                   // and back on this one
    }

    @Test void launchesNeedTheFatbinAndAKnownKernel() {
        boolean built = CudaDeviceTest.class.getClassLoader().getResource(KernelModule.RESOURCE) != null;
        CudaException e = assertThrows(CudaException.class,
                () -> device.launch("no_such_kernel", Dim3.of(1), Dim3.of(32), 0, new KernelArgs().i32(1)));
        String expected = built ? "has no kernel named 'no_such_kernel'" : "kernels.fatbin is not in the build (nvcc was missing when it was built)";
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * kernelParams reach the driver as our void*[]: only checkable where a kernel with known parameters exists,
     * i.e. the pretend driver of kernels/src/test/stub (its stub_fill(float *out, int n, float value)); on a
     * real GPU the kernels' own tests cover launches.
     */
    @Test void launchArgumentsReachTheKernelOnTheStubDriver() {
        org.junit.jupiter.api.Assumptions.assumeTrue(device.name().startsWith("Stub GPU"), "stub_fill exists only in the stub driver (kernels/src/test/stub)");
        long out = device.alloc(4 * 100);
        device.zero(out, 4 * 100);
        device.launch("stub_fill", Dim3.of(1), Dim3.of(128), 0, new KernelArgs().ptr(out + 4 * 10).i32(50).f32(2.5f));
        float[] expected = new float[100];
        java.util.Arrays.fill(expected, 10, 60, 2.5f);
        assertArrayEquals(expected, downloadFloats(out, 100));
        device.free(out, 4 * 100);
    }

    /** C = alpha op(A) op(B) + beta C per batch entry, column-major, the definition cuBLAS implements. */
    private static double[] referenceGemm(boolean transA, boolean transB, int m, int n, int k, double alpha,
                                          double[] a, int lda, long strideA, double[] b, int ldb, long strideB,
                                          double beta, double[] c, int ldc, long strideC, int batch, boolean absolute) {
        double[] out = c.clone();
        for (int e = 0; e < batch; e++) {
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < m; i++) {
                    double sum = 0;
                    for (int p = 0; p < k; p++) {
                        double x = transA ? a[(int) (e * strideA) + p + i * lda] : a[(int) (e * strideA) + i + p * lda];
                        double y = transB ? b[(int) (e * strideB) + j + p * ldb] : b[(int) (e * strideB) + p + j * ldb];
                        sum += absolute ? Math.abs(x * y) : x * y;
                    }
                    int at = (int) (e * strideC) + i + j * ldc;
                    out[at] = absolute ? Math.abs(alpha) * sum + Math.abs(beta * c[at]) : alpha * sum + beta * c[at];
                }
            }
        }
        return out;
    }

    private record Case(boolean transA, boolean transB, int m, int n, int k, int batch, boolean broadcastA) {
        int lda() { return (transA ? k : m) + 3; }               // leading dimensions larger than the rows: padding is skipped
        int ldb() { return (transB ? n : k) + 1; }
        int ldc() { return m + 2; }
        long sizeA() { return (long) lda() * (transA ? m : k); }
        long sizeB() { return (long) ldb() * (transB ? k : n); }
        long sizeC() { return (long) ldc() * n; }
        long strideA() { return broadcastA ? 0 : sizeA(); }
    }

    private static final Case[] CASES = {
            new Case(false, false, 17, 9, 33, 3, false),
            new Case(true, false, 8, 21, 16, 2, false),
            new Case(false, true, 5, 7, 64, 4, false),
            new Case(true, true, 31, 12, 7, 2, false),
            new Case(false, true, 13, 6, 20, 5, true),          // one A for the whole batch (stride 0), as a shared weight
    };

    /** Runs one case through cuBLAS at the given precision; returns (result, reference, sum of |terms|). */
    private static double[][] run(Case c, Precision precision, long seed) {
        int batch = c.batch();
        int nA = (int) (c.broadcastA() ? c.sizeA() : c.sizeA() * batch), nB = (int) (c.sizeB() * batch), nC = (int) (c.sizeC() * batch);
        double[] a = randomDoubles(nA, seed), b = randomDoubles(nB, seed + 1), cIn = randomDoubles(nC, seed + 2);
        double alpha = 0.75, beta = -0.5;
        if (precision == Precision.F32) {                         // the reference sees exactly the floats cuBLAS sees
            for (double[] v : new double[][] {a, b, cIn}) for (int i = 0; i < v.length; i++) v[i] = (float) v[i];
        }
        double[] got;
        if (precision == Precision.F32) {
            long da = upload(toFloats(a)), db = upload(toFloats(b)), dc = upload(toFloats(cIn));
            device.blas().gemmStridedBatched(Precision.F32, c.transA(), c.transB(), c.m(), c.n(), c.k(), alpha,
                    da, c.lda(), c.strideA(), db, c.ldb(), c.sizeB(), beta, dc, c.ldc(), c.sizeC(), batch);
            float[] f = downloadFloats(dc, nC);
            got = new double[nC];
            for (int i = 0; i < nC; i++) got[i] = f[i];
            device.free(da, 4L * nA);
            device.free(db, 4L * nB);
            device.free(dc, 4L * nC);
        } else {
            long da = upload(a), db = upload(b), dc = upload(cIn);
            device.blas().gemmStridedBatched(Precision.F64, c.transA(), c.transB(), c.m(), c.n(), c.k(), alpha,
                    da, c.lda(), c.strideA(), db, c.ldb(), c.sizeB(), beta, dc, c.ldc(), c.sizeC(), batch);
            got = downloadDoubles(dc, nC);
            device.free(da, 8L * nA);
            device.free(db, 8L * nB);
            device.free(dc, 8L * nC);
        }
        double[] want = referenceGemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), alpha, a, c.lda(), c.strideA(),
                b, c.ldb(), c.sizeB(), beta, cIn, c.ldc(), c.sizeC(), batch, false);
        double[] scale = referenceGemm(c.transA(), c.transB(), c.m(), c.n(), c.k(), alpha, a, c.lda(), c.strideA(),
                b, c.ldb(), c.sizeB(), beta, cIn, c.ldc(), c.sizeC(), batch, true);
        return new double[][] {got, want, scale};
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return f;
    }

    /** Worst |got - want| relative to the sum of |terms| of that element (padding rows are untouched: both equal C). */
    private static double worstRelativeError(double[][] r) {
        double worst = 0;
        for (int i = 0; i < r[0].length; i++) worst = Math.max(worst, Math.abs(r[0][i] - r[1][i]) / (r[2][i] + 1e-30));
        return worst;
    }

    @Test void sgemmStridedBatchedMatchesTheTripleLoop() {
        for (int i = 0; i < CASES.length; i++) {
            double worst = worstRelativeError(run(CASES[i], Precision.F32, 10 + i));
            // FP32 accumulation: each of k products and sums rounds at 2^-24 relative; 1e-5 of the |terms| leaves k <= 64 room.
            assertTrue(worst < 1e-5, CASES[i] + ": worst relative error " + worst);
        }
    }

    @Test void dgemmStridedBatchedMatchesTheTripleLoop() {
        for (int i = 0; i < CASES.length; i++) {
            double worst = worstRelativeError(run(CASES[i], Precision.F64, 20 + i));
            assertTrue(worst < 1e-13, CASES[i] + ": worst relative error " + worst);
        }
    }

    @Test void tf32IsWithinItsTenBitMantissaAndCanBeTurnedOff() {
        device.blas().setTf32(true);
        try {
            for (int i = 0; i < CASES.length; i++) {
                double worst = worstRelativeError(run(CASES[i], Precision.F32, 30 + i));
                System.out.printf("TF32 %s: worst error %.2e of the sum of |terms|%n", CASES[i], worst);
                // TF32 keeps 10 mantissa bits: each input is off by < 2^-10 of itself if the hardware truncates
                // (2^-11 if it rounds), so each product by < 2 * 2^-10 = 1.95e-3; 2.5e-3 leaves room for the FP32 sum.
                assertTrue(worst < 2.5e-3, CASES[i] + ": worst relative error with TF32 " + worst);
            }
        } finally {
            device.blas().setTf32(false);
        }
        assertTrue(worstRelativeError(run(CASES[0], Precision.F32, 40)) < 1e-5, "back to full FP32");
        assertTrue(device.blas().description().startsWith("cuBLAS 1"), device.blas().description());
    }

    @Test void gpuTimerMeasuresQueuedWork() {
        int n = 1024;
        long a = device.alloc(4L * n * n), c = device.alloc(4L * n * n);
        device.zero(a, 4L * n * n);
        try (GpuTimer timer = device.newTimer()) {
            timer.start();
            for (int i = 0; i < 10; i++) {
                device.blas().gemmStridedBatched(Precision.F32, false, false, n, n, n, 1, a, n, 0, a, n, 0, 0, c, n, 0, 1);
            }
            timer.stop();
            float ms = timer.elapsedMillis();
            double tflops = 10 * 2.0 * n * n * n / (ms * 1e-3) / 1e12;
            System.out.printf("10 SGEMMs of %d^3 on %s: %.3f ms (%.1f TFLOP/s)%n", n, device.name(), ms, tflops);
            assertTrue(ms > 0 && ms < 10_000, "elapsed " + ms + " ms");
        }
        device.free(a, 4L * n * n);
        device.free(c, 4L * n * n);
    }
}
