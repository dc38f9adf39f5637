package dev.ser.app.train;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MixupTest {

    @Test
    void betaHasTheMeanAndVarianceOfBetaAlphaAlpha() {
        for (double alpha : new double[] {0.2, 0.4, 1.0, 2.5}) {
            SplittableRandom rng = new SplittableRandom(11);
            int n = 200_000;
            double sum = 0, sumSq = 0;
            for (int i = 0; i < n; i++) {
                double b = Mixup.beta(alpha, rng);
                assertTrue(b >= 0 && b <= 1, "a Beta sample in [0, 1]: " + b);
                sum += b;
                sumSq += b * b;
            }
            double mean = sum / n, variance = sumSq / n - mean * mean, expected = 1 / (4 * (2 * alpha + 1));
            assertEquals(0.5, mean, 0.005, "mean of Beta(" + alpha + ", " + alpha + ")");
            assertEquals(expected, variance, 0.02 * expected + 0.001, "variance of Beta(" + alpha + ", " + alpha + ")");
        }
    }

    @Test
    void blendsEveryClipWithAnotherOfTheBatchAndKeepsTheMajorityLabel() {
        List<Example> items = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            float[] x = new float[5 * 2];
            int frames = 2 + i % 3;
            for (int k = 0; k < frames * 2; k++) x[k] = i + 1;
            items.add(new Example("e" + i, x, frames, 2, i % 3));
        }
        Mixup.Batch b = new Mixup(0.4).apply(items, new SplittableRandom(3));
        assertTrue(b.lambda() >= 0.5 && b.lambda() <= 1, "lambda " + b.lambda());
        boolean[] usedAsPartner = new boolean[6];
        for (int i = 0; i < 6; i++) {
            Example mixed = b.examples().get(i), a = items.get(i);
            assertEquals(a.label(), mixed.label());
            assertEquals(a.id(), mixed.id());
            // Recover the partner from the first frame's value: lambda (i + 1) + (1 - lambda) (j + 1).
            double partnerValue = (mixed.features()[0] - b.lambda() * (i + 1)) / (1 - b.lambda());
            int j = (int) Math.round(partnerValue) - 1;
            if (b.lambda() < 1) assertEquals(j + 1, partnerValue, 1e-3, "the partner is a clip of the batch");
            else j = i;
            assertEquals(items.get(j).label(), b.partnerLabels()[i]);
            assertEquals(Math.max(a.frames(), items.get(j).frames()), mixed.frames());
            usedAsPartner[j] = true;
        }
        if (b.lambda() < 1) for (boolean u : usedAsPartner) assertTrue(u, "a permutation: every clip is someone's partner");
    }

    @Test
    void refusesANegativeAlpha() {
        var e = assertThrows(IllegalArgumentException.class, () -> new Mixup(-1));
        assertTrue(e.getMessage().contains("--mixup expects alpha >= 0"), e.getMessage());
        assertTrue(!Mixup.NONE.enabled() && new Mixup(0.2).enabled());
    }
}
