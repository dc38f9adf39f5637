package dev.ser.audio.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path against the plain one: {@link PolyphaseResampler} (float table, float dot product)
 * against {@link DirectResampler} (resampy's loop, double accumulation) on fresh random input, for
 * the rate pairs we meet. Tolerance 2e-6 absolute on unit-variance noise: float rounding of the
 * taps (6e-8 relative) and of a ~300-term float sum.
 */
class PolyphaseResamplerTest {
    private final Random random = new Random(7);

    private float[] noise(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) random.nextGaussian() * 0.3f;
        return x;
    }

    @Test
    void agreesWithTheDirectLoop() {
        int[][] pairs = {{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 16000}, {8000, 22050}, {16000, 22050},
                {11025, 16000}, {16000, 44100}, {96000, 16000}, {32000, 16000}};
        for (int[] p : pairs) {
            float[] x = noise(3000 + random.nextInt(500));
            float[] fast = new PolyphaseResampler(p[0], p[1]).resample(x);
            float[] plain = DirectResampler.resample(x, p[0], p[1]);
            assertEquals(plain.length, fast.length);
            double worst = 0;
            for (int i = 0; i < plain.length; i++) worst = Math.max(worst, Math.abs(plain[i] - fast[i]));
            System.out.printf("polyphase vs direct %5d -> %5d Hz: %d samples, max |diff| %.2e%n", p[0], p[1], plain.length, worst);
            assertTrue(worst < 2e-6, p[0] + " -> " + p[1] + ": max |diff| " + worst);
        }
    }

    @Test
    void lengthsAndEdgeCases() {
        Resampler r = new Resampler(44100, 16000);
        assertEquals(24000, r.outputLength(66150));
        assertEquals(1103, new Resampler(8000, 22050).outputLength(400));  // ceil(1102.5); librosa pads a 0
        float[] y = new Resampler(8000, 22050).resample(noise(400));
        assertEquals(0f, y[1102]);  // resampy computed floor(1102.5) = 1102 samples
        float[] x = noise(100);
        float[] same = Resampler.resample(x, 16000, 16000);
        assertArrayEquals(x, same);
        assertTrue(same != x, "a copy, so callers may modify it");
        assertEquals(0, Resampler.resample(new float[0], 44100, 16000).length);
        assertEquals(1, Resampler.resample(new float[] {0.5f}, 44100, 16000).length);  // ceil(0.36): librosa's single 0
        assertThrows(IllegalArgumentException.class, () -> new Resampler(0, 16000));
    }

    @Test
    void manyPhasesGoDirect() {
        float[] x = noise(2000);
        float[] y = Resampler.resample(x, 44100, 16001);  // 16001 phases: too many to tabulate
        float[] plain = DirectResampler.resample(x, 44100, 16001);
        assertEquals(new Resampler(44100, 16001).outputLength(x.length), y.length);
        for (int i = 0; i < plain.length; i++) assertEquals(plain[i], y[i]);
    }

    @Test
    void aSineStaysASineAndAliasesAreRemoved() {
        // 1 kHz survives 44.1k -> 16k with unit gain; 10 kHz (above the new Nyquist, 8 kHz) is removed.
        int n = 44100;
        float[] low = new float[n], high = new float[n];
        for (int i = 0; i < n; i++) {
            low[i] = (float) Math.sin(2 * Math.PI * 1000 * i / 44100.0);
            high[i] = (float) Math.sin(2 * Math.PI * 10000 * i / 44100.0);
        }
        float[] yl = Resampler.resample(low, 44100, 16000), yh = Resampler.resample(high, 44100, 16000);
        double errLow = 0, maxHigh = 0;
        for (int i = 200; i < yl.length - 200; i++) {
            errLow = Math.max(errLow, Math.abs(yl[i] - Math.sin(2 * Math.PI * 1000 * i / 16000.0)));
            maxHigh = Math.max(maxHigh, Math.abs(yh[i]));
        }
        assertTrue(errLow < 1e-3, "1 kHz passband error " + errLow);
        assertTrue(maxHigh < 1e-4, "10 kHz leaked through at " + maxHigh);
    }
}
