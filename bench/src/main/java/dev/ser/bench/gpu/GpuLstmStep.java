package dev.ser.bench.gpu;

import dev.ser.cuda.backend.CudaBackend;
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
 * <pre>java ... dev.ser.bench.gpu.GpuLstmStep [--device cuda|emulated] [--batch 64] [--steps 300]
 *      [--input 40] [--hidden 256] [--layers 2] [--warmup 3] [--reps 10]</pre>
 * Prints one JSON line.
 */
public final class GpuLstmStep {
    public static void main(String[] argv) {
        Options o = Options.parse(argv);
        try (CudaBackend gpu = CudaBackend.open(o.device)) {
            LstmConfig config = new LstmConfig(o.input, o.hidden, o.layers, false);
            LSTM lstm = new LSTM(o.input, o.hidden, o.layers, false, 0, DType.F32, new SplittableRandom(1));
            lstm.moveTo(gpu);
            List<Tensor> weights = new ArrayList<>(lstm.namedParameters().values());
            List<Tensor> grads = new ArrayList<>();
            for (Tensor w : weights) grads.add(gpu.zeros(DType.F32, w.shape()));
            Tensor x = Tensor.uniform(DType.F32, new SplittableRandom(2), -1, 1, o.batch, o.steps, o.input).to(gpu);
            Tensor dy = Tensor.full(DType.F32, 1, o.batch, o.steps, o.hidden).to(gpu);
            int[] lengths = null;
            Runnable train = () -> {
                LstmPass pass = gpu.lstm(config, weights, x, lengths, null, null, List.of(), true);
                pass.backward().run(dy, null, null, null, null, null, grads);
            };
            Runnable infer = () -> gpu.lstm(config, weights, x, lengths, null, null, List.of(), false);
            double[] trainMs = time(gpu, train, o.warmup, o.reps), inferMs = time(gpu, infer, o.warmup, o.reps);
            System.out.println(String.format(Locale.ROOT,
                    "{\"impl\": \"ours\", \"lstm\": \"%s\", \"device\": \"%s\", \"batch\": %d, \"steps\": %d, \"input\": %d, \"hidden\": %d, \"layers\": %d, "
                            + "\"train_ms\": %.3f, \"train_ms_min\": %.3f, \"infer_ms\": %.3f, \"infer_ms_min\": %.3f, \"reps\": %d}",
                    gpu.lstmAlgorithm().name().toLowerCase(Locale.ROOT), gpu.device().name().replace("\"", "'"), o.batch, o.steps, o.input, o.hidden, o.layers,
                    median(trainMs), min(trainMs), median(inferMs), min(inferMs), o.reps));
        }
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

    record Options(String device, int batch, int steps, int input, int hidden, int layers, int warmup, int reps) {
        static Options parse(String[] a) {
            String device = "cuda";
            int batch = 64, steps = 300, input = 40, hidden = 256, layers = 2, warmup = 3, reps = 10;
            for (int i = 0; i < a.length; i += 2) {
                if (i + 1 >= a.length) throw new IllegalArgumentException(a[i] + " needs a value");
                String v = a[i + 1];
                switch (a[i]) {
                    case "--device" -> device = v;
                    case "--batch" -> batch = Integer.parseInt(v);
                    case "--steps" -> steps = Integer.parseInt(v);
                    case "--input" -> input = Integer.parseInt(v);
                    case "--hidden" -> hidden = Integer.parseInt(v);
                    case "--layers" -> layers = Integer.parseInt(v);
                    case "--warmup" -> warmup = Integer.parseInt(v);
                    case "--reps" -> reps = Integer.parseInt(v);
                    default -> throw new IllegalArgumentException("unknown option " + a[i]
                            + " (--device --batch --steps --input --hidden --layers --warmup --reps)");
                }
            }
            return new Options(device, batch, steps, input, hidden, layers, warmup, reps);
        }
    }
}
