package dev.ser.app.evaluate;

import dev.ser.app.corpus.Utterance;
import dev.ser.app.train.WaveAugment;
import dev.ser.audio.io.WavReader;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Features of clips heard sped up by a factor (test-time augmentation; {@link WaveAugment#speed}, as training's
 * speed perturbation and as {@code ser predict} do it). Not cached: a few seconds per corpus the size of RAVDESS.
 */
final class SpedUpFeatures {
    private SpedUpFeatures() {}

    /**
     * The features of each clip of {@code asIs} (the clips' features at speed 1) at {@code speed}; a clip that cannot
     * be sped up (too short for the deltas afterwards) keeps its features as they are, as the predictor does.
     */
    static Map<Utterance, FeatureMatrix> of(Map<Utterance, FeatureMatrix> asIs, FeatureConfig config, double speed) {
        if (speed == 1.0) return asIs;
        FeatureExtractor fx = new FeatureExtractor(config);
        Map<Utterance, FeatureMatrix> out = new HashMap<>();
        asIs.entrySet().parallelStream().map(e -> {
            try {
                float[] y = WaveAugment.speed(fx.toModelRate(WavReader.read(e.getKey().path())), config.sr(), speed);
                return Map.entry(e.getKey(), fx.compute(y));
            } catch (IllegalArgumentException tooShort) {
                return e;
            } catch (IOException x) {
                throw new java.io.UncheckedIOException("could not decode " + e.getKey().path() + " again: " + x.getMessage(), x);
            }
        }).forEachOrdered(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
