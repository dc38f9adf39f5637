package dev.ser.audio.features;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The reference clips barely trim (their intervals start at 0), so these synthetic signals exercise
 * both ends. Expected intervals come from librosa's algorithm run in numpy (rms, amplitude_to_db with
 * ref=np.max, frames over -top_db, [first * hop, min(n, (last + 1) * hop))) on the same float32 samples.
 */
class TrimTest {

    /** 10000 zeros, 8000 samples of 0.5 sin(2 pi 440 n / 16000), 10000 zeros. */
    static float[] toneBurst() {
        float[] y = new float[28000];
        for (int n = 0; n < 8000; n++) y[10000 + n] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * n / 16000));
        return y;
    }

    /** 3000 zeros, a 300 Hz tone fading in as t^3 over 20000 samples, 5000 zeros. */
    static float[] fadeIn() {
        float[] y = new float[28000];
        for (int n = 0; n < 20000; n++) {
            double ramp = n * (1.0 / 19999);
            y[3000 + n] = (float) (ramp * ramp * ramp * Math.sin(2 * Math.PI * 300 * n / 16000));
        }
        return y;
    }

    @Test
    void toneBurstBetweenSilences() {
        assertEquals(new Trim.Interval(9216, 19456), Trim.interval(toneBurst(), 60, 2048, 512));
        assertEquals(new Trim.Interval(9216, 19456), Trim.interval(toneBurst(), 30, 2048, 512));
        assertEquals(new Trim.Interval(9728, 18688), Trim.interval(toneBurst(), 60, 1024, 256));
    }

    @Test
    void thresholdMovesTheStartOfAFadeIn() {
        assertEquals(new Trim.Interval(4608, 24064), Trim.interval(fadeIn(), 60, 2048, 512));
        assertEquals(new Trim.Interval(9216, 24064), Trim.interval(fadeIn(), 30, 2048, 512));
        assertEquals(new Trim.Interval(11776, 24064), Trim.interval(fadeIn(), 20, 2048, 512));
    }

    @Test
    void allZerosKeepsEverythingAsLibrosaDoes() {
        // rms = 0 everywhere, so every frame is 0 dB relative to a 0 reference (both floored at amin).
        assertEquals(new Trim.Interval(0, 5000), Trim.interval(new float[5000]));
    }
}
