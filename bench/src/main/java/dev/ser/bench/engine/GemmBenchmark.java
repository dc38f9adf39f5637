package dev.ser.bench.engine;

import dev.ser.engine.backend.cpu.Gemm;
import dev.ser.engine.backend.cpu.GemmReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.ejml.dense.row.CommonOps_MT_FDRM;
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
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * float32 C = A * B (row-major, no transposes, beta = 0) on the shapes the LSTM runs, ours
 * ({@link Gemm}: packed Vector API kernel, 1 or 2 threads) against EJML 0.44 (CommonOps_FDRM.mult,
 * single-threaded, and CommonOps_MT_FDRM.mult, its own thread pool) and the plain loops
 * ({@link GemmReference}).
 *
 * <p>Shapes (m x k x n): 9600x40x1024 is layer 0's input projection for B*T = 32*300 frames of 40 mel
 * bands into 4H = 1024 gates; 32x256x1024 one recurrent step h[B,H] W_hh^T; and squares.
 *
 * <p>JMH reports ms/op; {@link #main} runs it and prints GFLOP/s = 2mnk / t as well:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.ser.bench.engine.GemmBenchmark}
 * (any JMH options after it, e.g. {@code -p shape=256x256x256 -wi 1 -i 3}). Plain JMH works too:
 * {@code java -jar bench/target/benchmarks.jar GemmBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms2g", "-Xmx2g"})
public class GemmBenchmark {

    @Param({"9600x40x1024", "32x256x1024", "256x256x256", "512x512x512", "1024x1024x1024"})
    public String shape;

    int m, k, n;
    float[] a, b, c;
    FMatrixRMaj ea, eb, ec;

    /** Gemm's thread count is fixed when the class loads: set it before the first call (one fork per value). */
    @State(Scope.Benchmark)
    public static class GemmThreads {
        @Param({"1", "2"})
        public int threads;

        @Setup
        public void setUp() {
            System.setProperty("ser.gemm.threads", Integer.toString(threads));
            if (Gemm.threads() != threads) {
                throw new IllegalStateException("Gemm was loaded before the benchmark set ser.gemm.threads=" + threads
                        + " (it runs with " + Gemm.threads() + "); run each thread count in its own fork");
            }
        }
    }

    @Setup
    public void setUp() {
        String[] p = shape.split("x");
        m = Integer.parseInt(p[0]);
        k = Integer.parseInt(p[1]);
        n = Integer.parseInt(p[2]);
        SplittableRandom rnd = new SplittableRandom(1);
        a = new float[m * k];
        b = new float[k * n];
        c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (float) rnd.nextDouble(-1, 1);
        for (int i = 0; i < b.length; i++) b[i] = (float) rnd.nextDouble(-1, 1);
        ea = FMatrixRMaj.wrap(m, k, a);
        eb = FMatrixRMaj.wrap(k, n, b);
        ec = new FMatrixRMaj(m, n);
    }

    @Benchmark
    public float[] ours(GemmThreads threads) {
        Gemm.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        return c;
    }

    @Benchmark
    public FMatrixRMaj ejml() {
        CommonOps_FDRM.mult(ea, eb, ec);
        return ec;
    }

    /** EJML's concurrent variant, on its default pool (all available processors: 2 here). */
    @Benchmark
    public FMatrixRMaj ejmlConcurrent() {
        CommonOps_MT_FDRM.mult(ea, eb, ec);
        return ec;
    }

    @Benchmark
    public void reference(Blackhole bh) {
        GemmReference.sgemm(false, false, m, n, k, 1f, a, 0, k, b, 0, n, 0f, c, 0, n);
        bh.consume(c);
    }

    /** Runs the benchmarks (JMH options pass through) and prints a table with GFLOP/s. */
    public static void main(String[] args) throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder()
                .parent(new CommandLineOptions(args))
                .include(GemmBenchmark.class.getName() + "\\.");
        Collection<RunResult> results = new Runner(opts.build()).run();
        List<String> rows = new ArrayList<>();
        for (RunResult r : results) {
            var params = r.getParams();
            String[] p = params.getParam("shape").split("x");
            double flops = 2.0 * Long.parseLong(p[0]) * Long.parseLong(p[1]) * Long.parseLong(p[2]);
            String name = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1);
            String threads = params.getParam("threads");
            if (threads != null) name += " (" + threads + " thread" + (threads.equals("1") ? "" : "s") + ")";
            var score = r.getPrimaryResult();
            double ms = score.getScore();
            rows.add(String.format("| %s | %s | %.3f ± %.3f | %.1f |", params.getParam("shape"), name, ms,
                    score.getScoreError(), flops / (ms * 1e-3) / 1e9));
        }
        System.out.println();
        System.out.println("| shape m x k x n | implementation | ms/op (± 99.9% CI) | GFLOP/s |");
        System.out.println("|---|---|---:|---:|");
        rows.forEach(System.out::println);
    }
}
