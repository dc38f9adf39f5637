package dev.ser.app.model;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.audio.pipeline.Normalization;
import dev.ser.audio.pipeline.PaddedFeatures;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class FeatureNormalizationTest {
    private static final FeatureConfig CONFIG = FeatureConfig.defaults().with(Map.of("n_mels", 16, "n_mfcc", 8, "features", List.of("mfcc", "mel")));

    /** Gaussian frames around {@code level}; 30 frames padded to 40. */
    private static PaddedFeatures clip(long seed, double level) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = CONFIG.layout().width(), frames = 30;
        float[] d = new float[frames * w];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * 3 + level);
        return PaddedFeatures.fit(new FeatureMatrix(d, frames, w, CONFIG.layout()), 40);
    }

    private static PaddedFeatures shifted(PaddedFeatures x, float by) {
        float[] d = x.data().clone();
        for (int i = 0; i < x.validFrames() * x.width(); i++) d[i] += by;
        return new PaddedFeatures(d, x.maxFrames(), x.width(), x.validFrames());
    }

    private static double mean(PaddedFeatures x) {
        double s = 0;
        for (int i = 0; i < x.validFrames() * x.width(); i++) s += x.data()[i];
        return s / (x.validFrames() * x.width());
    }

    @Test void speakerNormalizationKeepsHowAClipDiffersFromItsSpeakersOtherClips() {
        // Speaker a: a quiet clip and a loud one (+6). Utterance normalization makes them equally loud;
        // speaker normalization keeps the loud one above the quiet one.
        List<PaddedFeatures> a = List.of(clip(1, 0), clip(2, 6));
        List<PaddedFeatures> bySpeaker = FeatureNormalization.SPEAKER.standardize(a, List.of("a", "a"), CONFIG);
        // Levels 0 and 6 with spread 3: the speaker's variance is 9 + 3^2 = 18, so the clips stay 6 / sqrt(18) apart.
        assertEquals(6 / Math.sqrt(18), mean(bySpeaker.get(1)) - mean(bySpeaker.get(0)), 0.15, "the loud clip stays louder");
        List<PaddedFeatures> byClip = FeatureNormalization.UTTERANCE.standardize(a, List.of("a", "a"), CONFIG);
        assertEquals(0, mean(byClip.get(1)) - mean(byClip.get(0)), 1e-5);
    }

    @Test void speakerNormalizationRemovesASpeakersConstantOffset() {
        List<PaddedFeatures> a = List.of(clip(1, 0), clip(2, 6), clip(3, 2));
        List<PaddedFeatures> b = a.stream().map(x -> shifted(x, 40)).toList(); // the same voice 40 units up
        List<PaddedFeatures> both = new java.util.ArrayList<>(a);
        both.addAll(b);
        List<PaddedFeatures> out = FeatureNormalization.SPEAKER.standardize(both, List.of("a", "a", "a", "b", "b", "b"), CONFIG);
        for (int i = 0; i < 3; i++) assertArrayEquals(out.get(i).data(), out.get(i + 3).data(), 1e-4f);
        for (int i = 0; i < 3; i++) // padded frames stay 0
            for (int k = out.get(i).validFrames() * out.get(i).width(); k < out.get(i).data().length; k++) assertEquals(0f, out.get(i).data()[k]);
    }

    @Test void aClipAloneIsItsOwnSpeakerWhichIsUtteranceNormalization() {
        PaddedFeatures x = clip(4, 3);
        assertArrayEquals(Normalization.perUtterance(x).data(),
                FeatureNormalization.SPEAKER.standardize(List.of(x), List.of("s"), CONFIG).getFirst().data(), 1e-6f);
    }

    @Test void optionAndMetadataNamesRoundTrip() {
        for (FeatureNormalization n : FeatureNormalization.values()) {
            assertEquals(n, FeatureNormalization.ofOption(n.option));
            assertEquals(n, FeatureNormalization.ofMetadata(n.metadata));
        }
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalization.ofMetadata("speaker+utterance"));
        assertThrows(IllegalArgumentException.class, () -> FeatureNormalization.SPEAKER.standardize(List.of(clip(1, 0)), List.of(), CONFIG));
    }
}
