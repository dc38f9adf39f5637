package dev.ser.app.train;

import java.util.SplittableRandom;

/**
 * SpecAugment-style masking of normalized features, applied to training batches only: a few bands of
 * feature columns and a few spans of frames are set to 0 (the normalized mean), so the model cannot lean on
 * any one band or moment. With ~900 training clips, an LSTM memorizes the training speakers within a few
 * epochs; masking is the cheapest regularizer that helps there (Park et al., 2019).
 *
 * @param featureMasks how many column bands to mask per clip, each up to {@code maxFeatureWidth} wide
 * @param timeMasks    how many frame spans to mask per clip, each up to {@code maxTimeWidth} frames, never
 *                     more than a fifth of the clip's valid frames in all
 */
public record Augment(int featureMasks, int maxFeatureWidth, int timeMasks, int maxTimeWidth) {
    public static final Augment NONE = new Augment(0, 0, 0, 0);

    public static Augment specAugment() { return new Augment(2, 8, 2, 20); }

    public boolean enabled() { return featureMasks > 0 || timeMasks > 0; }

    /** A masked copy of the example (the original is shared across epochs and stays untouched). */
    public Example apply(Example e, SplittableRandom rng) {
        if (!enabled()) return e;
        float[] x = e.features().clone();
        int w = e.width(), frames = e.frames();
        for (int m = 0; m < featureMasks; m++) {
            int width = rng.nextInt(maxFeatureWidth + 1), start = rng.nextInt(Math.max(1, w - width + 1));
            for (int t = 0; t < frames; t++)
                for (int f = start; f < Math.min(w, start + width); f++) x[t * w + f] = 0;
        }
        int budget = frames / 5;
        for (int m = 0; m < timeMasks && budget > 0; m++) {
            int span = Math.min(budget, rng.nextInt(maxTimeWidth + 1)), start = rng.nextInt(Math.max(1, frames - span + 1));
            java.util.Arrays.fill(x, start * w, Math.min(frames, start + span) * w, 0f);
            budget -= span;
        }
        return new Example(e.id(), x, frames, w, e.label());
    }
}
