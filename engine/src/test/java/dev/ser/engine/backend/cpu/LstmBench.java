package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;

import java.util.Locale;
import java.util.Random;

/**
 * Times LstmF32 forward + backward at the training size (B=32, T=300, I=40, H=256, 2 layers) and
 * prints ms per call and the achieved GFLOP/s of the matrix products. Not a unit test; run with
 * <pre>
 *   mvn -B -q -pl engine test-compile
 *   java --add-modules jdk.incubator.vector -cp engine/target/classes:engine/target/test-classes \
 *       dev.ser.engine.backend.cpu.LstmBench [bidirectional=false] [threads=1] [reps=5]
 * </pre>
 */
public final class LstmBench {
    public static void main(String[] args) {
        boolean bidir = args.length > 0 && Boolean.parseBoolean(args[0]);
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 1;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        int batch = 32, steps = 300, input = 40, hidden = 256, layers = 2;
        LstmConfig cfg = new LstmConfig(input, hidden, layers, bidir);
        Random rnd = new Random(1);
        float[][] w = new float[cfg.numWeights()][];
        float[][] dw = new float[cfg.numWeights()][];
        for (int k = 0; k < w.length; k++) {
            w[k] = new float[cfg.weightElements(k)];
            dw[k] = new float[cfg.weightElements(k)];
            for (int e = 0; e < w[k].length; e++) w[k][e] = (float) ((rnd.nextDouble() * 2 - 1) / Math.sqrt(hidden));
        }
        float[] x = new float[batch * steps * input];
        for (int e = 0; e < x.length; e++) x[e] = (float) rnd.nextGaussian();
        int[] lengths = new int[batch];
        for (int b = 0; b < batch; b++) lengths[b] = steps - rnd.nextInt(steps / 3);
        int outs = batch * steps * cfg.outputSize(), states = layers * cfg.numDirections() * batch * hidden;
        float[] y = new float[outs], hN = new float[states], cN = new float[states];
        float[] dy = new float[outs], dx = new float[x.length];
        for (int e = 0; e < dy.length; e++) dy[e] = (float) rnd.nextGaussian() * 1e-3f;
        LstmF32 lstm = new LstmF32(cfg, threads);

        // Multiply-adds of the GEMMs: forward x W_ih^T and h W_hh^T; backward dW_ih, dW_hh, dx, dh.
        double macs = 0;
        for (int l = 0; l < layers; l++) {
            double g = 4.0 * hidden * batch * steps * cfg.numDirections();
            macs += g * cfg.layerInputSize(l) * 3 + g * hidden * 3;
        }
        System.out.printf(Locale.ROOT, "LstmF32 B=%d T=%d I=%d H=%d layers=%d bidirectional=%b threads=%d gemm.threads=%d%n",
                batch, steps, input, hidden, layers, bidir, threads, Gemm.THREADS);
        // CPU time of the whole process next to wall time: on a shared 2-core machine the wall
        // time says how long we waited, the CPU time how much work we did (both threads summed).
        var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        for (int r = 0; r < reps; r++) {
            long cpu0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            LstmF32.Workspace ws = lstm.forward(w, x, batch, steps, lengths, null, null, null, y, hN, cN);
            long t1 = System.nanoTime();
            lstm.backward(ws, dy, null, null, dx, null, null, dw);
            long t2 = System.nanoTime();
            double ms = (t2 - t0) / 1e6, cpuMs = (os.getProcessCpuTime() - cpu0) / 1e6;
            System.out.printf(Locale.ROOT, "  rep %d: forward %.0f ms, backward %.0f ms, total %.0f ms (%.1f GFLOP/s in GEMMs), process CPU %.0f ms%n",
                    r, (t1 - t0) / 1e6, (t2 - t1) / 1e6, ms, 2 * macs / (ms * 1e6), cpuMs);
        }
        long t0 = System.nanoTime();
        lstm.infer(w, x, batch, steps, lengths, null, null, y, hN, cN);
        System.out.printf(Locale.ROOT, "  inference forward: %.0f ms%n", (System.nanoTime() - t0) / 1e6);
    }
}
