package dev.ser.audio.features;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The JTransforms STFT against a plain O(n^2) DFT written straight from the definition, on random
 * input: even and odd n_fft (JTransforms packs the last bin differently), a window shorter than n_fft,
 * center on and off, and a signal shorter than n_fft.
 */
class StftTest {

    /** |sum_n w[n] x[start + n] e^{-2 pi i k n / N}|, zero outside the signal. */
    static Matrix naiveMagnitude(float[] y, int nFft, int hop, int winLength, boolean center) {
        double[] w = Windows.hannPadded(winLength, nFft);
        int padded = center ? y.length + 2 * (nFft / 2) : y.length;
        int frames = 1 + (padded - nFft) / hop, bins = nFft / 2 + 1;
        Matrix out = Matrix.zeros(bins, frames);
        for (int t = 0; t < frames; t++) {
            int start = t * hop - (center ? nFft / 2 : 0);
            for (int k = 0; k < bins; k++) {
                double re = 0, im = 0;
                for (int n = 0; n < nFft; n++) {
                    int i = start + n;
                    if (i < 0 || i >= y.length) continue;
                    double v = w[n] * y[i], ang = -2 * Math.PI * k * (double) n / nFft;
                    re += v * Math.cos(ang);
                    im += v * Math.sin(ang);
                }
                out.set(k, t, (float) Math.hypot(re, im));
            }
        }
        return out;
    }

    private static float[] noise(int n, long seed) {
        Random r = new Random(seed);
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float) r.nextGaussian() * 0.3f;
        return y;
    }

    private static void check(int n, int nFft, int hop, int winLength, boolean center) {
        float[] y = noise(n, 31L * nFft + n);
        Stft stft = new Stft(nFft, hop, winLength, center);
        Matrix fast = stft.magnitude(y), slow = naiveMagnitude(y, nFft, hop, winLength, center);
        assertEquals(slow.rows(), fast.rows());
        assertEquals(slow.cols(), fast.cols(), "frame count");
        double[] ref = new double[slow.data().length];
        for (int i = 0; i < ref.length; i++) ref[i] = slow.data()[i];
        double err = LibrosaReferences.relativeError(fast.data(), ref);
        String what = "n=" + n + " n_fft=" + nFft + " hop=" + hop + " win=" + winLength + " center=" + center;
        System.out.printf("[StftTest] %-45s rel %.2e%n", what, err);
        assertTrue(err < 1e-5, what + ": relative error " + err);
    }

    @Test
    void matchesTheDefinition() {
        check(1000, 64, 16, 64, true);
        check(1000, 64, 16, 50, true);   // window zero-padded to n_fft
        check(1000, 63, 20, 63, true);   // odd n_fft: JTransforms puts Im of the last bin in a[1]
        check(1000, 45, 7, 30, false);
        check(30, 64, 16, 64, true);     // signal shorter than n_fft: one or two all-padding frames
        check(0, 16, 4, 16, true);       // empty signal: librosa still gives one frame
    }

    @Test
    void fusedMelEqualsFilterbankTimesPowerSpectrogram() {
        // MelSpectrogram squares the packed FFT output directly; check it, odd n_fft included, against
        // the two-step filterbank.apply(stft.power(y)).
        for (int nFft : new int[] {64, 63}) {
            float[] y = noise(2000, nFft);
            Stft stft = new Stft(nFft, 16, nFft - 10, true);
            MelFilterbank fb = new MelFilterbank(8000, nFft, 10);
            Matrix fused = new MelSpectrogram(stft, fb, 2.0).compute(y), twoStep = fb.apply(stft.power(y));
            double[] ref = new double[twoStep.data().length];
            for (int i = 0; i < ref.length; i++) ref[i] = twoStep.data()[i];
            double err = LibrosaReferences.relativeError(fused.data(), ref);
            assertTrue(err < 1e-6, "n_fft=" + nFft + ": relative error " + err);
        }
    }

    @Test
    void frameCountIsLibrosas() {
        Stft s = new Stft(512, 160, 400, true);
        // 1 + (len + 2 * (n_fft // 2) - n_fft) // hop
        assertEquals(1 + (69653 + 512 - 512) / 160, s.frameCount(69653));
        assertEquals(436, s.frameCount(69653));
        assertThrows(IllegalArgumentException.class, () -> new Stft(512, 160, 400, false).frameCount(100));
        assertThrows(IllegalArgumentException.class, () -> new Stft(256, 64, 400, true));
    }
}
