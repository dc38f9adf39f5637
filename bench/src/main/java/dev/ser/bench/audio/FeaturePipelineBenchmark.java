package dev.ser.bench.audio;

import dev.ser.audio.io.Audio;
import dev.ser.audio.io.WavReader;
import dev.ser.audio.io.WavWriter;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.resample.Resampler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * The default feature pipeline, single thread, on real clips: decode (WavReader, from the page cache) ->
 * resample 48 kHz -> 16 kHz (kaiser_best) -> MFCC 13 + deltas 1, 2 + log-mel 40 + chroma 12 (91 columns
 * a frame, n_fft 512, win 400, hop 160), as {@code ser features} computes it. One operation is one pass
 * over every clip; {@link #main} turns ms/op into seconds of audio per second.
 *
 * <p>Clips: {@code -Dser.clips=DIR}, else {@code ../shared/datasets/ravdess-48k/Actor_01} (58 RAVDESS files,
 * 48 kHz mono 16-bit, 2.389 s each) from the repository root. Where that is absent it says so and writes 58
 * synthetic 2.389 s 48 kHz clips (a gliding harmonic tone in noise) to a temporary folder instead.
 *
 * <p>{@code stage} splits the cost: pipeline (all of it), decode, resample (in-memory 48 kHz samples),
 * features (in-memory 16 kHz samples). Run:
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.ser.bench.audio.FeaturePipelineBenchmark}
 * (JMH options may follow, e.g. {@code -p stage=pipeline -wi 2 -i 5}); bench/run-audio-vs-torchaudio.sh
 * runs it beside torchaudio.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xms1g", "-Xmx1g", "-XX:+UseParallelGC"})
public class FeaturePipelineBenchmark {
    static final Path DEFAULT_CLIPS = Path.of("..", "shared", "datasets", "ravdess-48k", "Actor_01");
    static final double CLIP_SECONDS = 2.389;
    static final int SYNTHETIC_CLIPS = 58, SYNTHETIC_RATE = 48_000;

    @Param({"pipeline", "decode", "resample", "features"})
    public String stage;

    List<Path> clips;
    List<float[]> at48k, at16k;
    FeatureExtractor extractor;

    @Setup
    public void setUp() throws IOException {
        clips = clips();
        extractor = new FeatureExtractor(FeatureConfig.defaults());
        at48k = new ArrayList<>();
        at16k = new ArrayList<>();
        for (Path c : clips) {
            Audio a = WavReader.read(c);
            at48k.add(a.samples());
            at16k.add(extractor.toModelRate(a));
        }
    }

    @Benchmark
    public void run(Blackhole bh) throws IOException {
        switch (stage) {
            case "pipeline" -> { for (Path c : clips) bh.consume(extractor.extract(c)); }
            case "decode" -> { for (Path c : clips) bh.consume(WavReader.read(c)); }
            case "resample" -> { for (float[] y : at48k) bh.consume(Resampler.of(48_000, 16_000).resample(y)); }
            case "features" -> { for (float[] y : at16k) bh.consume(extractor.compute(y)); }
            default -> throw new IllegalArgumentException("unknown stage " + stage);
        }
    }

    /** The WAV files to time: the RAVDESS 48 kHz folder, or synthetic ones when it is not there. */
    static List<Path> clips() throws IOException {
        String property = System.getProperty("ser.clips");
        Path dir = property != null ? Path.of(property) : DEFAULT_CLIPS;
        if (Files.isDirectory(dir)) {
            try (Stream<Path> s = Files.list(dir)) {
                List<Path> wavs = s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList();
                if (!wavs.isEmpty()) return wavs;
            }
        }
        System.err.println("FeaturePipelineBenchmark: no .wav files in " + dir.toAbsolutePath().normalize()
                + " (run from the repository root with ../shared beside it, or pass -Dser.clips=DIR);"
                + " timing " + SYNTHETIC_CLIPS + " synthetic 48 kHz clips instead");
        return synthetic();
    }

    private static List<Path> synthetic() throws IOException {
        Path dir = Files.createTempDirectory("ser-bench-clips");
        dir.toFile().deleteOnExit();
        SplittableRandom r = new SplittableRandom(42);
        List<Path> out = new ArrayList<>();
        int n = (int) Math.round(CLIP_SECONDS * SYNTHETIC_RATE);
        for (int c = 0; c < SYNTHETIC_CLIPS; c++) {
            float[] y = new float[n];
            double phase = 0, f0 = 120 + 100 * r.nextDouble();
            for (int i = 0; i < n; i++) {
                double f = f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 3 * i / SYNTHETIC_RATE)); // a voice-like glide
                phase += 2 * Math.PI * f / SYNTHETIC_RATE;
                double v = 0;
                for (int h = 1; h <= 10; h++) v += Math.sin(h * phase) / h;
                y[i] = (float) (0.1 * v + 0.01 * (r.nextDouble() - 0.5));
            }
            Path p = dir.resolve(String.format("synthetic-%02d.wav", c));
            WavWriter.write(p, y, SYNTHETIC_RATE, 16);
            p.toFile().deleteOnExit();
            out.add(p);
        }
        return out;
    }

    /** Runs the benchmark and prints audio seconds per second for each stage. */
    public static void main(String[] args) throws Exception {
        List<Path> clips = clips();
        double seconds = 0;
        for (Path c : clips) seconds += WavReader.read(c).seconds();
        ChainedOptionsBuilder o = new OptionsBuilder().parent(new CommandLineOptions(args))
                .include(FeaturePipelineBenchmark.class.getSimpleName());
        String property = System.getProperty("ser.clips");
        if (property != null) o.jvmArgsAppend("-Dser.clips=" + property);
        System.out.printf(Locale.ROOT, "%d clips, %.1f s of audio%n", clips.size(), seconds);
        // The mean is JMH's figure; the best iteration is the one least disturbed by other processes on a shared
        // machine, and what the torchaudio harness reports (its best pass), so the two compare like for like.
        for (RunResult r : new Runner(o.build()).run()) {
            double mean = r.getPrimaryResult().getScore(), best = Double.MAX_VALUE;
            for (BenchmarkResult b : r.getBenchmarkResults())
                for (IterationResult i : b.getIterationResults()) best = Math.min(best, i.getPrimaryResult().getScore());
            String st = r.getParams().getParam("stage");
            System.out.printf(Locale.ROOT, "%-9s mean %8.2f ms per pass = %7.1f audio-s/s; best iteration %8.2f ms = %7.1f audio-s/s%n",
                    st, mean, seconds / (mean / 1000), best, seconds / (best / 1000));
            System.out.printf(Locale.ROOT, "RESULT java_%s %.3f%n", st, seconds / (best / 1000));
            System.out.printf(Locale.ROOT, "RESULT java_%s_mean %.3f%n", st, seconds / (mean / 1000));
        }
    }
}
