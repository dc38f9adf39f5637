package dev.ser.audio.features;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** VTLP's frequency map against eq. 1 of Jaitly &amp; Hinton (2013) and its effect on a tone's spectrum and features. */
class VocalTractWarpTest {
    static final int SR = 16_000;

    @Test void theMapIsEquationOneAndItsInverse() {
        for (double alpha : new double[] {0.9, 0.95, 1.0, 1.05, 1.1}) {
            double knee = 4800 * Math.min(alpha, 1);
            assertEquals(0, VocalTractWarp.warp(0, alpha, SR), 1e-12, "0 Hz stays");
            assertEquals(8000, VocalTractWarp.warp(8000, alpha, SR), 1e-9, "Nyquist stays");
            assertEquals(alpha * 1000, VocalTractWarp.warp(1000, alpha, SR), 1e-9, "a pure scaling below the boundary");
            assertEquals(knee, VocalTractWarp.warp(knee / alpha, alpha, SR), 1e-9, "continuous at the boundary");
            double above = knee / alpha + 1e-6;
            assertEquals(knee, VocalTractWarp.warp(above, alpha, SR), 1e-4, "both pieces meet");
            for (double f = 0; f <= 8000; f += 97)
                assertEquals(f, VocalTractWarp.source(VocalTractWarp.warp(f, alpha, SR), alpha, SR), 1e-9, "inverse at " + f + " Hz, alpha " + alpha);
            // The line above the boundary, written out: S/2 - (S/2 - F_hi min(a,1)) / (S/2 - F_hi min(a,1)/a) (S/2 - f).
            double f = 6000;
            assertEquals(8000 - (8000 - knee) / (8000 - knee / alpha) * (8000 - f), VocalTractWarp.warp(f, alpha, SR), 1e-9);
        }
    }

    /** Power spectrogram of a tone: the warped one peaks at alpha times its frequency. */
    @Test void aTonesPeakMovesByTheFactor() {
        Stft stft = new Stft(512, 160, 400, true);
        float[] y = new float[SR / 2];
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.sin(2 * Math.PI * 1000 * i / SR);
        Matrix power = stft.power(y);
        assertArrayEquals(power.data(), VocalTractWarp.apply(power, 1.0, SR).data(), "alpha 1: unchanged");
        for (double alpha : new double[] {0.9, 1.1}) {
            Matrix w = VocalTractWarp.apply(power, alpha, SR);
            int frame = power.cols() / 2;
            assertEquals(1000 * alpha, peakBin(w, frame) * SR / 512.0, SR / 512.0, "alpha " + alpha);
        }
        assertEquals(1000, peakBin(power, power.cols() / 2) * SR / 512.0, SR / 512.0 / 2);
        assertThrows(IllegalArgumentException.class, () -> VocalTractWarp.apply(power, 2.5, SR));
    }

    private static int peakBin(Matrix m, int frame) {
        int best = 0;
        for (int k = 1; k < m.rows(); k++) if (m.get(k, frame) > m.get(best, frame)) best = k;
        return best;
    }

    /** Through the pipeline: mel and MFCCs move, chroma and RMS stay; 1 is the plain pipeline, bit for bit. */
    @Test void thePipelineWarpsWhatTheMelFilterbankSeesOnly() {
        FeatureConfig config = FeatureConfig.defaults().with(Map.of("features", List.of("mfcc", "mel", "chroma", "rms"), "deltas", List.of()));
        FeatureExtractor extractor = new FeatureExtractor(config);
        float[] y = new float[SR / 2];
        java.util.Random r = new java.util.Random(3);
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / SR) + 0.2 * Math.sin(2 * Math.PI * 1700 * i / SR) + 0.01 * r.nextGaussian());
        FeatureMatrix plain = extractor.compute(y), one = extractor.compute(y, 1.0), warped = extractor.compute(y, 1.1);
        assertArrayEquals(plain.data(), one.data());
        assertFalse(java.util.Arrays.equals(plain.block("mel"), warped.block("mel")));
        assertFalse(java.util.Arrays.equals(plain.block("mfcc"), warped.block("mfcc")));
        assertArrayEquals(plain.block("chroma"), warped.block("chroma"), 1e-5f, "chroma reads the unwarped spectrum");
        assertArrayEquals(plain.block("rms"), warped.block("rms"));
    }
}
