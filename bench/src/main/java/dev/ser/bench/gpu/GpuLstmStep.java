package dev.ser.bench.gpu;

import dev.ser.cuda.backend.CudaBackend;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.nn.LSTM;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Times our CUDA LSTM: a training step (forward keeping the workspace + backward through time with dy = 1,
 * the weight gradients accumulated, no input gradient: the work of bench/python/torch_lstm_gpu.py's
 * {@code lstm(x)[0].sum().backward()}) and an inference forward, float32, every sequence full length.
 * The clock is the host's around {@code device.synchronize()}, so launch overhead counts, as it does
 * for PyTorch's timing with CUDA events around the same work.
 *
 * <pre>java ... dev.ser.bench.gpu.GpuLstmStep [--device cuda|emulated] [--algorithm cell,cudnn,persistent]
 *      [--batch 1,8,32,64,256] [--hidden 128,256,512,1024] [--steps 300] [--input 40] [--layers 2] [--warmup 3] [--reps 10]</pre>
 * Lists sweep every combination in one JVM; one JSON line each (streaming latency for B=1 only; an algorithm
 * the device lacks is a line with "skipped" and the reason). bench/python/lstm_table.py joins these lines with
 * PyTorch's (torch_lstm_gpu.py, the same options) into docs/gpu.md's table.
 */
public final class GpuLstmStep {
    public static void main(String[] argv) {
        Options o = Options.parse(argv);
        try (CudaBackend gpu = CudaBackend.open(o.device)) {
            for (LstmAlgorithm algorithm : o.algorithms)
                for (int hidden : o.hidden)
                    for (int batch : o.batch) {
                        if (!gpu.lstmAlgorithms().contains(algorithm)) {
                            System.out.printf(Locale.ROOT, "{\"impl\": \"ours-%s\", \"batch\": %d, \"hidden\": %d, \"skipped\": \"%s\"}%n",
                                    algorithm.name().toLowerCase(Locale.ROOT), batch, hidden,
                                    ("not on this device: " + gpu.cudnnMissing()).replace("\"", "'"));
                            continue;
                        }
                        System.out.println(measure(gpu, algorithm, batch, hidden, o));
                        System.out.flush();
                    }
        }
    }

    /** One configuration: a training step, an inference forward and streaming, as one JSON line. */
    static String measure(CudaBackend gpu, LstmAlgorithm algorithm, int batch, int hidden, Options o) {
        LstmConfig config = new LstmConfig(o.input, hidden, o.layers, false);
        LSTM lstm = new LSTM(o.input, hidden, o.layers, false, 0, DType.F32, new SplittableRandom(1));
        lstm.moveTo(gpu);
        List<Tensor> weights = new ArrayList<>(lstm.namedParameters().values());
        List<Tensor> grads = new ArrayList<>();
        for (Tensor w : weights) grads.add(gpu.zeros(DType.F32, w.shape()));
        Tensor x = Tensor.uniform(DType.F32, new SplittableRandom(2), -1, 1, batch, o.steps, o.input).to(gpu);
        Tensor dy = Tensor.full(DType.F32, 1, batch, o.steps, hidden).to(gpu);
        int[] lengths = null;
        Runnable train = () -> {
            LstmPass pass = gpu.lstm(config, algorithm, weights, x, lengths, null, null, List.of(), true);
            pass.backward().run(dy, null, null, null, null, null, grads);
        };
        Runnable infer = () -> gpu.lstm(config, algorithm, weights, x, lengths, null, null, List.of(), false);
        double[] trainMs = time(gpu, train, o.warmup, o.reps), inferMs = time(gpu, infer, o.warmup, o.reps);
        double streamUs = batch == 1 ? streamingMicros(gpu, config, algorithm, weights, o.input, o.steps) : Double.NaN;
        return String.format(Locale.ROOT,
                "{\"impl\": \"ours-%s\", \"device\": \"%s\", \"batch\": %d, \"steps\": %d, \"input\": %d, \"hidden\": %d, \"layers\": %d, "
                        + "\"train_ms\": %.3f, \"train_ms_min\": %.3f, \"infer_ms\": %.3f, \"infer_ms_min\": %.3f, "
                        + "\"stream_us_per_frame\": %s, \"reps\": %d}",
                algorithm.name().toLowerCase(Locale.ROOT), gpu.device().name().replace("\"", "'"), batch, o.steps, o.input, hidden,
                o.layers, median(trainMs), min(trainMs), median(inferMs), min(inferMs),
                Double.isNaN(streamUs) ? "null" : String.format(Locale.ROOT, "%.1f", streamUs), o.reps);
    }

    /**
     * Streaming inference: one frame at a time (B=1, T=1), the state carried from frame to frame, each frame's
     * output read back to the host (as a real-time predictor must). Median microseconds per frame over
     * {@code frames} frames, after 20 warm-up frames.
     */
    static double streamingMicros(CudaBackend gpu, LstmConfig config, LstmAlgorithm algorithm, List<Tensor> weights, int input, int frames) {
        SplittableRandom rng = new SplittableRandom(3);
        int[] state = {config.numLayers(), 1, config.hiddenSize()};
        Tensor h = gpu.zeros(DType.F32, state), c = gpu.zeros(DType.F32, state);
        double[] us = new double[frames];
        for (int f = -20; f < frames; f++) {
            Tensor x = Tensor.uniform(DType.F32, rng, -1, 1, 1, 1, input);
            long t0 = System.nanoTime();
            LstmPass pass = gpu.lstm(config, algorithm, weights, x.to(gpu), null, h, c, List.of(), false);
            pass.y().toHost();
            if (f >= 0) us[f] = (System.nanoTime() - t0) / 1e3;
            h = pass.hN();
            c = pass.cN();
        }
        return median(us);
    }

    /** Wall milliseconds of each repetition, the device idle before and drained after each. */
    static double[] time(CudaBackend gpu, Runnable work, int warmup, int reps) {
        for (int i = 0; i < warmup; i++) work.run();
        gpu.device().synchronize();
        double[] ms = new double[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            work.run();
            gpu.device().synchronize();
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    record Options(String device, List<LstmAlgorithm> algorithms, int[] batch, int steps, int input, int[] hidden, int layers,
                   int warmup, int reps) {
        static Options parse(String[] a) {
            String device = "cuda";
            List<LstmAlgorithm> algorithms = List.of(LstmAlgorithm.CELL);
            int[] batch = {64}, hidden = {256};
            int steps = 300, input = 40, layers = 2, warmup = 3, reps = 10;
            for (int i = 0; i < a.length; i += 2) {
                if (i + 1 >= a.length) throw new IllegalArgumentException(a[i] + " needs a value");
                String v = a[i + 1];
                switch (a[i]) {
                    case "--device" -> device = v;
                    case "--algorithm" -> algorithms = Arrays.stream(v.split(","))
                            .map(n -> LstmAlgorithm.valueOf(n.trim().toUpperCase(Locale.ROOT))).toList();
                    case "--batch" -> batch = ints(v);
                    case "--steps" -> steps = Integer.parseInt(v);
                    case "--input" -> input = Integer.parseInt(v);
                    case "--hidden" -> hidden = ints(v);
                    case "--layers" -> layers = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--reps" -> reps = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a[i]
                            + " (--device --algorithm cell,cudnn,persistent --batch 1,8 --steps --input --hidden 128,256 --layers --warmup --reps)");
                }
            }
            return new Options(device, algorithms, batch, steps, input, hidden, layers, warmup, reps);
        }

        private static int[] ints(String v) { return Arrays.stream(v.split(",")).mapToInt(n -> Integer.parseInt(n.trim())).toArray(); }
    }
}
