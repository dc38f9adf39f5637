package dev.ser.bench.gpu;

import dev.ser.cuda.backend.CudaBackend;
import dev.ser.cuda.device.Blas;
import dev.ser.cuda.device.Device;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.DType;

import java.util.Locale;

/**
 * Each of our kernels' achieved bandwidth (GB/s of the bytes it must move) or time per launch, beside the
 * device's measured ceilings from the same run: a device-to-device copy (bandwidth) and cuBLAS SGEMM at
 * 8192^3 (FLOP/s, full float32 and TF32). Memory is filled with zeros: the kernels' speed does not depend
 * on the values. Prints one JSON object per line: {"kernel", "what", "ms", "gbps" or "tflops" or "us"}.
 *
 * <pre>java ... dev.ser.bench.gpu.GpuKernels [--device cuda|emulated] [--scale 1.0]</pre>
 * --scale shrinks every size (the emulated device needs about 0.001).
 */
public final class GpuKernels {
    private final Device device;
    private final Kernels k;
    private final int reps = 20;

    private GpuKernels(CudaBackend gpu) {
        this.device = gpu.device();
        this.k = new Kernels(device);
    }

    public static void main(String[] argv) {
        String which = "cuda";
        double scale = 1;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            if (argv[i].equals("--device")) which = argv[i + 1];
            else if (argv[i].equals("--scale")) scale = Double.parseDouble(argv[i + 1]);
            else throw new IllegalArgumentException("unknown option " + argv[i] + " (--device --scale)");
        }
        try (CudaBackend gpu = CudaBackend.open(which)) {
            new GpuKernels(gpu).run(scale);
        }
    }

    private void run(double scale) {
        long n = Math.max(1024, (long) (64L * 1024 * 1024 * scale)); // 64 Mi elements: 256 MiB of float32
        long a = zeros(n * 8), b = zeros(n * 8), c = zeros(n * 8), d = zeros(n * 8);

        report("copy (ceiling)", "device-to-device, bytes read + written", bandwidth(2 * n * 4, () -> device.copyOnDevice(a, b, n * 4)));
        int g = (int) Math.max(64, Math.round(8192 * Math.cbrt(scale)));
        long ga = zeros((long) g * g * 4), gb = zeros((long) g * g * 4), gc = zeros((long) g * g * 4);
        Blas blas = device.blas();
        Runnable sgemm = () -> blas.gemmStridedBatched(Blas.Precision.F32, false, false, g, g, g, 1, ga, g, 0, gb, g, 0, 0, gc, g, 0, 1);
        reportFlops("sgemm (ceiling)", g + "^3, full float32", 2.0 * g * g * g, sgemm);
        blas.setTf32(true);
        reportFlops("sgemm tf32 (ceiling)", g + "^3, TF32 tensor cores", 2.0 * g * g * g, sgemm);
        blas.setTf32(false);

        report("binary ADD", n + " float32, contiguous", bandwidth(3 * n * 4,
                () -> k.binary(DType.F32, Backend.BinaryOp.ADD, new int[]{(int) n}, a, new int[]{1}, b, new int[]{1}, c)));
        int rows = (int) Math.max(1, n / 1024);
        report("binary MUL broadcast", rows + "x1024 * 1024", bandwidth(2L * rows * 1024 * 4 + 1024 * 4,
                () -> k.binary(DType.F32, Backend.BinaryOp.MUL, new int[]{rows, 1024}, a, new int[]{1024, 1}, b, new int[]{0, 1}, c)));
        report("unary TANH", n + " float32", bandwidth(2 * n * 4, () -> k.unary(DType.F32, Backend.UnaryOp.TANH, n, a, b)));
        report("affine", n + " float32", bandwidth(2 * n * 4, () -> k.affine(DType.F32, n, a, 0.5, 1, b)));
        report("sum rows", rows + "x1024 -> " + rows, bandwidth((long) rows * 1024 * 4, () -> k.sum(DType.F32, rows, 1024, 1, a, b)));
        report("sum columns", rows + "x1024 -> 1024", bandwidth((long) rows * 1024 * 4, () -> k.sum(DType.F32, 1, rows, 1024, a, b)));
        report("sumSquares", n + " float32 -> double", bandwidth(n * 4, () -> k.sumSquares(DType.F32, n, a, d)));
        report("softmax rows", rows + "x1024", bandwidth(2L * rows * 1024 * 4, () -> k.softmax(DType.F32, false, rows, 1024, 1, a, b)));
        report("adam", n / 4 + " parameters float32", bandwidth(7 * (n / 4) * 4,
                () -> k.adam(DType.F32, n / 4, a, b, c, d, 0, 0.9, 0.999, 1e-8, 1, 0, 1e-3, 0.5)));
        // The LSTM cell at the benchmark's size: latency-bound, so time per launch is the figure.
        int batch = 64, hidden = 256, steps = 300;
        long lengths = zeros(4L * batch);
        int[] full = new int[batch];
        java.util.Arrays.fill(full, steps);
        device.copyToDevice(java.lang.foreign.MemorySegment.ofArray(full), lengths, 4L * batch);
        long gates = zeros(4L * batch * steps * 4 * hidden), h = zeros(4L * batch * hidden), cs = zeros(4L * batch * hidden);
        long y = zeros(4L * batch * steps * hidden), hp = zeros(4L * batch * steps * hidden), cp = zeros(4L * batch * steps * hidden),
                tc = zeros(4L * batch * steps * hidden);
        report("lstm cell forward", "B=64 H=256, training (saves state)", perLaunch(16L * batch * hidden * 4,
                () -> k.lstmCellForward(DType.F32, batch, steps, hidden, 7, lengths, gates, h, cs, y, 0, hidden, hp, cp, tc)));
        report("lstm cell backward", "B=64 H=256", perLaunch(14L * batch * hidden * 4,
                () -> k.lstmCellBackward(DType.F32, batch, steps, hidden, 7, lengths, gates, cp, tc, h, cs, y, 0, hidden)));
        long whh = zeros(4L * 4 * hidden * hidden);
        report("lstm recurrent gemm", "[64,256] x [256,1024]^T", perLaunch(4L * (64 * 256 + 1024 * 256 + 2 * 64 * 1024),
                () -> blas.gemmStridedBatched(Blas.Precision.F32, true, false, 4 * hidden, batch, hidden, 1, whh, hidden, 0, h, hidden, 0,
                        1, gates, steps * 4 * hidden, 0, 1)));
    }

    private long zeros(long bytes) {
        long address = device.alloc(bytes);
        device.zero(address, bytes);
        return address;
    }

    /** Milliseconds per run: one warm-up, then {@code reps} back to back, drained once (launch overhead amortized). */
    private double millis(Runnable work) {
        work.run();
        device.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) work.run();
        device.synchronize();
        return (System.nanoTime() - t0) / 1e6 / reps;
    }

    private String bandwidth(long bytes, Runnable work) {
        double ms = millis(work);
        return String.format(Locale.ROOT, "\"ms\": %.4f, \"gbps\": %.1f", ms, bytes / (ms * 1e6));
    }

    private String perLaunch(long bytes, Runnable work) {
        double ms = millis(work);
        return String.format(Locale.ROOT, "\"us\": %.2f, \"gbps\": %.1f", ms * 1e3, bytes / (ms * 1e6));
    }

    private void reportFlops(String kernel, String what, double flops, Runnable work) {
        double ms = millis(work);
        report(kernel, what, String.format(Locale.ROOT, "\"ms\": %.3f, \"tflops\": %.1f", ms, flops / (ms * 1e9)));
    }

    private static void report(String kernel, String what, String figures) {
        System.out.println("{\"kernel\": \"" + kernel + "\", \"what\": \"" + what + "\", " + figures + "}");
    }
}
