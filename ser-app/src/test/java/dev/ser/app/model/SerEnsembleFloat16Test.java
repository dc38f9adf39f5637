package dev.ser.app.model;

import dev.ser.app.predict.Prediction;
import dev.ser.app.predict.Predictor;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** An ensemble saved with float16 weights: half the weight bytes, the statistics untouched, the same predictions within 1e-3. */
class SerEnsembleFloat16Test {
    static final int SR = 16000;

    static float[] voice(double hz, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++)
            y[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / SR) * (1 + 0.5 * Math.sin(2 * Math.PI * 3 * i / SR))
                    + 0.05 * Math.sin(2 * Math.PI * 3.1 * hz * i / SR));
        return y;
    }

    static SerModel member(long seed) {
        FeatureConfig config = FeatureConfig.defaults().with(Map.of("n_mels", 16, "n_mfcc", 8, "features", List.of("mfcc"), "deltas", List.of()));
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(config);
        acc.add(new FeatureExtractor(config).compute(voice(180, SR)));
        SequenceClassifier.Config mc = new SequenceClassifier.Config(8, 12, 2, true, 0, Pooling.Kind.ATTENTION, List.of(16), 4);
        return new SerModel(new SequenceClassifier(mc, DType.F32, seed), acc.finish(), FeatureNormalization.UTTERANCE,
                List.of("a", "b", "c", "d"), 60, Map.of());
    }

    @Test void float16WeightsHalveTheFileAndKeepThePredictions(@TempDir Path dir) throws Exception {
        SerEnsemble ensemble = new SerEnsemble(List.of(member(1), member(2)));
        Path full = dir.resolve("full.safetensors"), half = dir.resolve("half.safetensors");
        ensemble.save(full);
        ensemble.save(half, SerEnsemble.Weights.FLOAT16);

        SafeTensors f = SafeTensors.read(full), h = SafeTensors.read(half);
        assertEquals(f.names(), h.names());
        long weightValues = 0;
        for (String name : f.names()) {
            boolean stats = name.startsWith("member.0." + SerModel.STATS_PREFIX) || name.startsWith("member.1." + SerModel.STATS_PREFIX);
            if (stats) {
                assertEquals(f.entry(name).dtype(), h.entry(name).dtype(), name + ": statistics keep their precision");
                assertArrayEquals(f.doubles(name), h.doubles(name), name);
            } else {
                assertEquals("F16", h.entry(name).dtype(), name);
                float[] a = f.floats(name), b = h.floats(name);
                for (int i = 0; i < a.length; i++)
                    assertTrue(Math.abs(a[i] - b[i]) <= Math.abs(a[i]) * 0x1p-11 + 0x1p-25, name + "[" + i + "]: " + a[i] + " vs " + b[i]);
                weightValues += a.length;
            }
        }
        assertTrue(weightValues > 2000, "a test worth the name has weights: " + weightValues);
        long saved = Files.size(full) - Files.size(half);
        assertTrue(saved >= 2 * weightValues - 512, "float16 saves two bytes a weight (header aside): " + saved + " of " + 2 * weightValues);

        SerEnsemble back = SerEnsemble.load(half);
        for (int k = 0; k < 2; k++)
            assertArrayEquals(ensemble.members().get(k).stats().mean(), back.members().get(k).stats().mean());
        try (Predictor exact = new Predictor(ensemble, 1); Predictor rounded = new Predictor(back, 1)) {
            for (double hz : new double[]{140, 220, 330}) {
                Prediction p = exact.predictSamples(voice(hz, SR), "clip"), q = rounded.predictSamples(voice(hz, SR), "clip");
                assertArrayEquals(p.probabilities(), q.probabilities(), 1e-3, hz + " Hz");
                double moved = 0;
                for (int c = 0; c < 4; c++) moved += Math.abs(p.probabilities()[c] - q.probabilities()[c]);
                assertTrue(moved > 0, "float16 rounding must change something, else this test checks nothing");
            }
        }
    }
}
