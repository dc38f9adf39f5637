package dev.ser.app.train;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AugmentTest {
    private static Example example() {
        int frames = 50, width = 10, max = 60;
        float[] x = new float[max * width];
        for (int i = 0; i < frames * width; i++) x[i] = 1 + i % 7;
        return new Example("e", x, frames, width, 2);
    }

    @Test void masksBandsAndSpansWithinTheClipAndKeepsTheOriginal() {
        Example e = example();
        float[] before = e.features().clone();
        Example a = Augment.specAugment().apply(e, new SplittableRandom(3));
        assertArrayEquals(before, e.features(), "the shared example is not modified");
        assertEquals(e.label(), a.label());
        int zeros = 0;
        for (int i = 0; i < e.frames() * e.width(); i++) if (a.features()[i] == 0) zeros++;
        assertTrue(zeros > 0, "something is masked");
        for (int i = e.frames() * e.width(); i < a.features().length; i++) assertEquals(0f, a.features()[i], "padding stays zero");
        int maskedFrames = 0;
        for (int t = 0; t < e.frames(); t++) {
            boolean all = true;
            for (int f = 0; f < e.width(); f++) all &= a.features()[t * e.width() + f] == 0;
            if (all) maskedFrames++;
        }
        assertTrue(maskedFrames <= e.frames() / 5 + 0, "time masks stay within a fifth of the clip: " + maskedFrames);
    }

    @Test void isDeterministicUnderASeedAndOffByDefault() {
        Example e = example();
        assertArrayEquals(Augment.specAugment().apply(e, new SplittableRandom(9)).features(),
                Augment.specAugment().apply(e, new SplittableRandom(9)).features());
        assertNotEquals(java.util.Arrays.toString(Augment.specAugment().apply(e, new SplittableRandom(9)).features()),
                java.util.Arrays.toString(Augment.specAugment().apply(e, new SplittableRandom(10)).features()));
        assertEquals(e, Augment.NONE.apply(e, new SplittableRandom(1)));
    }
}
