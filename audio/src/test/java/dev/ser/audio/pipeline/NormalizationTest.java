package dev.ser.audio.pipeline;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NormalizationTest {
    static final FeatureConfig CFG = FeatureConfig.defaults().with("deltas", List.of()).with("features", List.of("rms", "zcr", "centroid"));
    static final int W = 3;

    /** Random clip of {@code frames} rows, mean around {@code offset} (mel dB sits near -60: a test of cancellation). */
    static FeatureMatrix clip(Random r, int frames, double offset) {
        float[] d = new float[frames * W];
        for (int i = 0; i < d.length; i++) d[i] = (float) (offset + (i % W + 1) * r.nextGaussian());
        return new FeatureMatrix(d, frames, W, CFG.layout());
    }

    @Test
    void perUtteranceGivesZeroMeanUnitPopulationVarianceOverValidFramesOnly() {
        Random r = new Random(1);
        PaddedFeatures p = PaddedFeatures.fit(clip(r, 37, -60), 50);
        PaddedFeatures y = Normalization.perUtterance(p, 0);
        for (int f = 0; f < W; f++) {
            double s = 0, s2 = 0;
            for (int t = 0; t < 37; t++) { s += y.get(t, f); s2 += y.get(t, f) * (double) y.get(t, f); }
            assertEquals(0, s / 37, 1e-5);
            assertEquals(1, s2 / 37, 1e-5); // population variance: divided by n, not n-1
        }
        for (int t = 37; t < 50; t++) for (int f = 0; f < W; f++) assertEquals(0f, y.get(t, f));
        assertEquals(37, y.validFrames());
    }

    @Test
    void constantColumnBecomesZeroNotNaN() {
        float[] d = {5, 1, 2, 5, 3, 4, 5, 5, 6};
        PaddedFeatures p = PaddedFeatures.whole(new FeatureMatrix(d, 3, W, CFG.layout()));
        for (double eps : new double[] {0, Normalization.EPSILON}) {
            PaddedFeatures y = Normalization.perUtterance(p, eps);
            for (int t = 0; t < 3; t++) assertEquals(0f, y.get(t, 0));
        }
    }

    @Test
    void applyIsTheDocumentedFloatFormula() {
        Random r = new Random(2);
        PaddedFeatures p = PaddedFeatures.fit(clip(r, 9, 3), 12);
        double[] mean = {1.5, -2, 0.25}, var = {4, 0.5, 9};
        PaddedFeatures y = Normalization.apply(p, mean, var, 1e-5);
        for (int t = 0; t < 9; t++)
            for (int f = 0; f < W; f++) {
                float expected = (p.get(t, f) - (float) mean[f]) * (float) (1 / Math.sqrt(var[f] + 1e-5));
                assertEquals(expected, y.get(t, f), 0f);
            }
        var e = assertThrows(IllegalArgumentException.class, () -> Normalization.apply(p, new double[2], new double[2], 1e-5));
        assertTrue(e.getMessage().contains("different feature config"), e.getMessage());
    }

    @Test
    void streamingStatisticsEqualTwoPassOverAllValidFramesInAnyOrder() {
        Random r = new Random(3);
        List<PaddedFeatures> clips = List.of(PaddedFeatures.fit(clip(r, 40, -60), 64), PaddedFeatures.fit(clip(r, 64, -55), 64),
                PaddedFeatures.fit(clip(r, 100, -70), 64), PaddedFeatures.fit(clip(r, 3, -50), 64));
        FeatureStats.Accumulator forward = new FeatureStats.Accumulator(CFG), a = new FeatureStats.Accumulator(CFG),
                b = new FeatureStats.Accumulator(CFG);
        clips.forEach(forward::add);
        a.add(clips.get(3)).add(clips.get(1));
        b.add(clips.get(2)).add(clips.get(0));
        FeatureStats s = forward.finish(), merged = a.merge(b).finish();
        // The reference: all valid frames of all clips in one array, two passes.
        int n = 40 + 64 + 64 + 3;
        float[] all = new float[n * W];
        int at = 0;
        for (PaddedFeatures c : clips) {
            System.arraycopy(c.data(), 0, all, at, c.validFrames() * W);
            at += c.validFrames() * W;
        }
        double[] mean = new double[W], var = new double[W];
        Normalization.meanAndVariance(new PaddedFeatures(all, n, W, n), mean, var);
        assertEquals(n, s.count());
        assertEquals(n, merged.count());
        assertArrayEquals(mean, s.mean(), 1e-12);
        assertArrayEquals(var, s.variance(), 1e-10);
        assertArrayEquals(mean, merged.mean(), 1e-12);
        assertArrayEquals(var, merged.variance(), 1e-10);
    }

    @Test
    void datasetNormalizationLeavesPaddingAtZero() {
        Random r = new Random(4);
        FeatureStats s = new FeatureStats.Accumulator(CFG).add(clip(r, 80, 10)).finish();
        PaddedFeatures y = s.apply(PaddedFeatures.fit(clip(r, 5, 10), 8));
        for (int t = 5; t < 8; t++) for (int f = 0; f < W; f++) assertEquals(0f, y.get(t, f));
        assertTrue(y.get(0, 0) != 0f);
    }

    @Test
    void statisticsRoundTripThroughSafetensorsAndJson() throws IOException {
        Random r = new Random(5);
        FeatureStats s = new FeatureStats.Accumulator(CFG).add(clip(r, 30, -40)).add(clip(r, 20, -45)).finish(1e-6);
        Path dir = Files.createTempDirectory("stats");
        try {
            Path file = dir.resolve("stats.safetensors");
            s.save(file);
            assertEquals(s, FeatureStats.load(file));
            assertEquals(s, FeatureStats.fromJson(s.toJson()));
        } finally {
            try (var files = Files.list(dir)) { for (Path p : files.toList()) Files.delete(p); }
            Files.delete(dir);
        }
    }

    @Test
    void statisticsRefuseFeaturesOfAnotherConfig() {
        FeatureStats s = new FeatureStats.Accumulator(CFG).add(clip(new Random(6), 4, 0)).finish();
        s.checkMatches(CFG);
        var e = assertThrows(IllegalArgumentException.class, () -> s.checkMatches(CFG.with("hop_length", 320)));
        assertTrue(e.getMessage().contains(CFG.fingerprint()), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new FeatureStats.Accumulator(CFG).finish());
    }
}
