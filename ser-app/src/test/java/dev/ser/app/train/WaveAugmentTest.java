package dev.ser.app.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WaveAugmentTest {
    static final int SR = 16_000;

    static float[] tone(double hz, double seconds) {
        float[] y = new float[(int) (seconds * SR)];
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / SR));
        return y;
    }

    /** Frequency from the rate of upward zero crossings, over the middle of the clip (away from the filter's edges). */
    static double frequency(float[] y) {
        int from = y.length / 4, to = 3 * y.length / 4, crossings = 0;
        for (int i = from + 1; i < to; i++) if (y[i - 1] < 0 && y[i] >= 0) crossings++;
        return crossings * (double) SR / (to - from);
    }

    @Test void speedChangesLengthAndPitchBothByTheFactor() {
        float[] y = tone(200, 1.0);
        for (double f : new double[] {0.9, 1.1}) {
            float[] s = WaveAugment.speed(y, SR, f);
            assertEquals(y.length / f, s.length, 1.0, "sox speed " + f + ": n / factor samples");
            assertEquals(200 * f, frequency(s), 2.0, "sox speed " + f + ": pitch times the factor");
        }
        float[] same = WaveAugment.speed(y, SR, 1.0);
        assertArrayEquals(y, same);
        assertTrue(same != y, "a copy, never the shared input");
    }

    @Test void noiseHasTheAskedSnr() {
        float[] y = tone(300, 2.0);
        float[] n = WaveAugment.addNoise(y, 20, new SplittableRandom(1));
        double signal = 0, noise = 0;
        for (int i = 0; i < y.length; i++) {
            signal += (double) y[i] * y[i];
            noise += (double) (n[i] - y[i]) * (n[i] - y[i]);
        }
        assertEquals(20, 10 * Math.log10(signal / noise), 0.1);
        assertArrayEquals(new float[100], WaveAugment.addNoise(new float[100], 10, new SplittableRandom(1)), "silence stays silent");
    }

    @Test void drawsFromTheOptionsDeterministicallyAndLeavesTheInputAlone() {
        WaveAugment a = WaveAugment.parse("0.9,1.0,1.1", "10,30");
        assertTrue(a.enabled());
        float[] y = tone(250, 0.5), before = y.clone();
        float[] first = a.apply(y, SR, new SplittableRandom(5));
        assertArrayEquals(first, a.apply(y, SR, new SplittableRandom(5)));
        assertArrayEquals(before, y);
        java.util.Set<Integer> lengths = new java.util.HashSet<>();
        for (int seed = 0; seed < 40; seed++) lengths.add(a.apply(y, SR, new SplittableRandom(seed)).length);
        assertEquals(java.util.Set.of(7273, 8000, 8889), lengths, "the three factors' lengths (ceil(n / factor)), each drawn");
        assertNotEquals(java.util.Arrays.toString(y), java.util.Arrays.toString(WaveAugment.parse(null, "10,10").apply(y, SR, new SplittableRandom(1))));
    }

    @Test void offByDefaultAndClearErrors() {
        assertFalse(WaveAugment.NONE.enabled());
        assertFalse(WaveAugment.parse("1.0", null).enabled());
        assertEquals(WaveAugment.parse("0.9,1.1", null), WaveAugment.parse("0.9, 1.1", null));
        assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse("0.1", null));
        assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse("fast", null));
        assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse(null, "30,10"));
        assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse(null, "20"));
    }

    @Test void vtlpIsARangeDrawnUniformlyAndOnlyNamedInTheConfigWhenOn() {
        WaveAugment v = WaveAugment.parse(null, null, "0.9,1.1");
        assertTrue(v.enabled());
        double[] f = v.vtlpFactors(2000, new SplittableRandom(4));
        assertEquals(0.9, java.util.Arrays.stream(f).min().orElseThrow(), 1e-3);
        assertEquals(1.1, java.util.Arrays.stream(f).max().orElseThrow(), 1e-3);
        assertEquals(1.0, java.util.Arrays.stream(f).average().orElseThrow(), 0.01);
        assertArrayEquals(f, v.vtlpFactors(2000, new SplittableRandom(4)));
        assertArrayEquals(new double[] {1, 1, 1}, WaveAugment.parse("0.9,1.1", null).vtlpFactors(3, new SplittableRandom(4)));
        assertEquals(java.util.List.of(0.9, 1.1), v.toJson().get("vtlp"));
        assertFalse(WaveAugment.parse("0.9,1.1", null).toJson().containsKey("vtlp"), "absent when off: runs from before stay resumable");
        assertNotEquals(v, WaveAugment.parse(null, null, "0.9,1.2"));
        assertEquals("--vtlp MIN,MAX needs 0.7 <= MIN <= MAX <= 1.3 (e.g. 0.9,1.1); got 1.1,0.9",
                assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse(null, null, "1.1,0.9")).getMessage());
        assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse(null, null, "0.5,1.1"));
        assertEquals("--vtlp expects MIN,MAX factors (e.g. 0.9,1.1); got '1.1'",
                assertThrows(IllegalArgumentException.class, () -> WaveAugment.parse(null, null, "1.1")).getMessage());
    }
}
