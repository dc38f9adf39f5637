package dev.ser.bench.engine;

import dev.ser.engine.backend.cpu.Gemm;
import dev.ser.engine.backend.cpu.GemmReference;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Single-threaded sgemm timed in the calling thread's CPU time, not wall-clock time: on a machine
 * shared with other builds (ours: 2 cores, load average often 4-6) the wall-clock time of one thread
 * includes the slices the scheduler gave to others, CPU time does not (the caches are still shared,
 * so this is an optimistic but stable figure). Best of ~2 s of repetitions per shape, after a
 * 2 s warm-up. Shapes and data as {@link GemmBenchmark}; prints GFLOP/s = 2mnk / t.
 * <pre>
 *   java --add-modules jdk.incubator.vector -Dser.gemm.threads=1 \
 *       -cp bench/target/benchmarks.jar dev.ser.bench.engine.GemmCpuTime [--reference]
 * </pre>
 */
public final class GemmCpuTime {
    public static void main(String[] args) {
        boolean reference = args.length > 0 && args[0].equals("--reference");
        if (!reference && Gemm.threads() != 1) {
            throw new IllegalStateException("CPU time of the calling thread only measures a 1-thread GEMM: run with -Dser.gemm.threads=1");
        }
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        int[][] shapes = {{9600, 40, 1024}, {32, 256, 1024}, {256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}};
        System.out.println("| shape m x k x n | implementation | best ms (thread CPU time) | GFLOP/s |");
        System.out.println("|---|---|---:|---:|");
        for (int[] s : shapes) {
            int m = s[0], k = s[1], n = s[2];
            SplittableRandom rnd = new SplittableRandom(1);
            float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
            for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
            for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
            double best = Double.MAX_VALUE;
            for (int phase = 0; phase < 2; phase++) { // 0: warm-up, 1: measured
                long end = System.nanoTime() + 2_000_000_000L;
                best = Double.MAX_VALUE;
                do {
                    long t0 = mx.getCurrentThreadCpuTime();
                    if (reference) GemmReference.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    else Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
                    best = Math.min(best, (mx.getCurrentThreadCpuTime() - t0) * 1e-9);
                } while (System.nanoTime() < end);
            }
            System.out.printf(Locale.ROOT, "| %dx%dx%d | %s | %.3f | %.1f |%n", m, k, n,
                    reference ? "reference" : "ours (1 thread)", best * 1e3, 2.0 * m * n * k / best / 1e9);
        }
    }
}
