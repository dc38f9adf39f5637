package dev.ser.app.predict;

import dev.ser.app.model.SerModel;
import dev.ser.audio.io.WavWriter;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A randomly initialized model small enough to run in milliseconds: 16 mels, 8 MFCCs with deltas (40 columns),
 * an LSTM of 8 units, 4 classes, windows of 50 frames (0.5 s). Its answers mean nothing but are deterministic,
 * which is all the prediction plumbing needs.
 */
final class TinyModel {
    private TinyModel() {}

    static final int SR = 16000;
    static final int MAX_FRAMES = 50;
    static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry");

    static FeatureConfig config() {
        return FeatureConfig.defaults().with(Map.of("n_mels", 16, "n_mfcc", 8, "features", List.of("mfcc", "mel")));
    }

    static SerModel build() { return build(42); }

    /** The same architecture with weights drawn from {@code seed}. */
    static SerModel build(long seed) { return build(seed, dev.ser.app.model.FeatureNormalization.DATASET); }

    /** With another normalization (its statistics are still the raw features': the plumbing is what is tested). */
    static SerModel build(long seed, dev.ser.app.model.FeatureNormalization normalization) {
        FeatureConfig config = config();
        FeatureExtractor fx = new FeatureExtractor(config);
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(config);
        for (int i = 0; i < 3; i++) acc.add(fx.compute(voice(SR / 2, 120 + 60 * i, 0.2, i)));
        SequenceClassifier.Config mc = new SequenceClassifier.Config(config.layout().width(), 8, 1, false, 0.0, Pooling.Kind.MEAN,
                List.of(), LABELS.size());
        return new SerModel(new SequenceClassifier(mc, DType.F32, seed), acc.finish(), normalization, LABELS, MAX_FRAMES, Map.of());
    }

    static Path save(Path dir) throws IOException {
        Path p = dir.resolve("model.safetensors");
        build().save(p);
        return p;
    }

    /** A voiced sound: five harmonics of f0 with a slow vibrato and a syllable-like envelope, plus a little noise. */
    static float[] voice(int n, double f0, double amp, long seed) {
        Random r = new Random(seed);
        float[] y = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = (double) i / SR;
            phase += 2 * Math.PI * f0 * (1 + 0.03 * Math.sin(2 * Math.PI * 5 * t)) / SR;
            double s = 0;
            for (int h = 1; h <= 5; h++) s += Math.sin(h * phase) / h;
            double env = 0.6 + 0.4 * Math.sin(2 * Math.PI * 3 * t + seed);
            y[i] = (float) (amp * env * s / 2 + 0.003 * r.nextGaussian());
        }
        return y;
    }

    /** Writes a 16-bit WAV at 16 kHz; the samples are first rounded to 16 bits so the file decodes back to them. */
    static Path wav(Path dir, String name, float[] y) throws IOException {
        Path f = dir.resolve(name);
        if (f.getParent() != null) Files.createDirectories(f.getParent());
        WavWriter.write(f, y, SR, 16);
        return f;
    }

    /** The 16-bit values of {@code y} as the WAV reader returns them. */
    static float[] quantized(float[] y) {
        float[] q = new float[y.length];
        for (int i = 0; i < y.length; i++) q[i] = (short) Math.max(-32768, Math.min(32767, Math.round(y[i] * 32768.0))) / 32768f;
        return q;
    }

    /** Little-endian s16 bytes of {@code y}, as `ffmpeg -f s16le` writes them. */
    static byte[] s16le(float[] y) {
        byte[] b = new byte[2 * y.length];
        for (int i = 0; i < y.length; i++) {
            short s = (short) Math.max(-32768, Math.min(32767, Math.round(y[i] * 32768.0)));
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return b;
    }
}
