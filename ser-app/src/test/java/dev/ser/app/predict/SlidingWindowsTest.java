package dev.ser.app.predict;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class SlidingWindowsTest {
    record W(long start, float[] y) {}

    static List<W> cut(float[] y, int window, int hop, int chunk) {
        List<W> out = new ArrayList<>();
        SlidingWindows s = new SlidingWindows(window, hop, (start, w) -> out.add(new W(start, w)));
        for (int i = 0; i < y.length; i += chunk) s.push(Arrays.copyOfRange(y, i, Math.min(y.length, i + chunk)));
        s.finish();
        return out;
    }

    static float[] ramp(int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = i;
        return y;
    }

    @Test
    void windowsStartEveryHopAndTheLastPartialOneReachesTheEnd() {
        List<W> w = cut(ramp(1050), 300, 100, 64);
        // Full windows at 0..700; the samples 1000..1050 that no full window covers get one partial window from 800.
        assertEquals(List.of(0L, 100L, 200L, 300L, 400L, 500L, 600L, 700L, 800L), w.stream().map(W::start).toList());
        for (W x : w) assertArrayEquals(Arrays.copyOfRange(ramp(1050), (int) x.start(), (int) Math.min(1050, x.start() + 300)), x.y());
        assertEquals(250, w.getLast().y().length);
    }

    @Test
    void chunkSizesDoNotMatter() {
        float[] y = ramp(5000);
        List<W> a = cut(y, 777, 250, 1), b = cut(y, 777, 250, 4096), c = cut(y, 777, 250, 5000);
        assertEquals(a.size(), b.size());
        assertEquals(a.size(), c.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i).y(), b.get(i).y());
            assertArrayEquals(a.get(i).y(), c.get(i).y());
        }
    }

    @Test
    void aStreamShorterThanOneWindowIsOneWindowAndAHopLongerThanTheWindowLeavesGaps() {
        List<W> shortOne = cut(ramp(120), 300, 100, 50);
        assertEquals(1, shortOne.size());
        assertEquals(120, shortOne.getFirst().y().length);

        List<W> gaps = cut(ramp(1000), 100, 300, 33);
        assertEquals(List.of(0L, 300L, 600L, 900L), gaps.stream().map(W::start).toList());
        assertEquals(300f, gaps.get(1).y()[0]);
    }

    @Test
    void aStreamThatEndsExactlyAtAWindowHasNoExtraWindow() {
        // 0..300 and 100..400 cover everything: no partial 200..400 window, which would only repeat samples.
        assertEquals(List.of(0L, 100L), cut(ramp(400), 300, 100, 7).stream().map(W::start).toList());
        assertEquals(1, cut(ramp(300), 300, 400, 7).size());
    }
}
