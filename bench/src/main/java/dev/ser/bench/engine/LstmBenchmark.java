package dev.ser.bench.engine;

import dev.ser.engine.backend.cpu.Gemm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.cpu.LstmF32;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One training step of the fused CPU LSTM ({@link LstmF32}), float32, at the training size:
 * B=32, T=300, I=40, H=256, 2 layers, unidirectional, every sequence full length; forward, then
 * backward of loss = sum(y) (dy = 1), weight gradients accumulated, no dx for the input (the same work
 * as bench/python/torch_lstm_cpu.py: PyTorch computes no input gradient when x does not require one).
 *
 * <p>Threads: {@code lstmThreads} runs the recurrence on that many disjoint batch ranges;
 * {@code gemmThreads} is {@link Gemm}'s split (ser.gemm.threads). Two threads in all is either
 * lstmThreads=2 gemmThreads=1 or lstmThreads=1 gemmThreads=2; bench/run-lstm-vs-torch.sh runs both.
 * <pre>
 *   java -jar bench/target/benchmarks.jar LstmBenchmark -p lstmThreads=1 -p gemmThreads=2
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms4g", "-Xmx4g"})
public class LstmBenchmark {
    static final int BATCH = 32, STEPS = 300, INPUT = 40, HIDDEN = 256, LAYERS = 2;

    @Param({"1", "2"})
    public int lstmThreads;

    @Param({"1", "2"})
    public int gemmThreads;

    LstmF32 lstm;
    float[][] w, dw;
    float[] x, y, hN, cN, dy;

    @Setup
    public void setUp() {
        // Before anything loads Gemm: it reads its thread count once.
        System.setProperty("ser.gemm.threads", Integer.toString(gemmThreads));
        if (Gemm.threads() != gemmThreads) {
            throw new IllegalStateException("Gemm loaded with " + Gemm.threads() + " threads, wanted " + gemmThreads);
        }
        LstmConfig cfg = new LstmConfig(INPUT, HIDDEN, LAYERS, false);
        SplittableRandom rnd = new SplittableRandom(1);
        // PyTorch's init: U(-1/sqrt(H), 1/sqrt(H)) for every weight and bias.
        double bound = 1 / Math.sqrt(HIDDEN);
        w = new float[cfg.numWeights()][];
        dw = new float[cfg.numWeights()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = new float[cfg.weightElements(i)];
            dw[i] = new float[cfg.weightElements(i)];
            for (int e = 0; e < w[i].length; e++) w[i][e] = (float) rnd.nextDouble(-bound, bound);
        }
        x = new float[BATCH * STEPS * INPUT];
        for (int e = 0; e < x.length; e++) x[e] = (float) rnd.nextDouble(-1, 1);
        y = new float[BATCH * STEPS * HIDDEN];
        hN = new float[LAYERS * BATCH * HIDDEN];
        cN = new float[LAYERS * BATCH * HIDDEN];
        dy = new float[y.length];
        Arrays.fill(dy, 1f);
        lstm = new LstmF32(cfg, lstmThreads);
    }

    @Benchmark
    public float[][] forwardBackward() {
        LstmF32.Workspace ws = lstm.forward(w, x, BATCH, STEPS, null, null, null, null, y, hN, cN);
        lstm.backward(ws, dy, null, null, null, null, null, dw);
        return dw;
    }
}
