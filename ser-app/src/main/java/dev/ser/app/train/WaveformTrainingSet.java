package dev.ser.app.train;

import dev.ser.app.model.SerModel;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.PaddedFeatures;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The training clips as waveforms at the model's rate, turned into freshly augmented examples every epoch:
 * {@link WaveAugment} on the samples, then the model's own feature pipeline and normalization (the training
 * set's statistics, computed once from the unaugmented clips). Features of 900 clips take a few seconds on two
 * cores, so drawing new ones per epoch costs little next to the LSTM.
 *
 * <p>Each clip draws from its own generator, split in clip order from the epoch's seed: the examples are the
 * same whatever the thread count, and a resumed run sees the epochs an uninterrupted one would.
 */
public final class WaveformTrainingSet implements Trainer.EpochExamples {
    /** One training clip: its samples at the extractor's rate and the (unaugmented) example it stands for. */
    public record Clip(float[] samples, Example original) {}

    private final List<Clip> clips;
    private final WaveAugment augment;
    private final FeatureExtractor extractor;
    private final boolean perUtterance;
    private final FeatureStats stats;
    private final int maxFrames;

    public WaveformTrainingSet(List<Clip> clips, WaveAugment augment, FeatureExtractor extractor, boolean perUtterance, FeatureStats stats,
                               int maxFrames) {
        this.clips = List.copyOf(clips);
        this.augment = augment;
        this.extractor = extractor;
        this.perUtterance = perUtterance;
        this.stats = stats;
        this.maxFrames = maxFrames;
    }

    /** The unaugmented examples, in clip order (what {@link Trainer#fit} is given as the training set). */
    public List<Example> originals() { return clips.stream().map(Clip::original).toList(); }

    @Override public List<Example> forEpoch(long epochSeed) {
        SplittableRandom base = new SplittableRandom(epochSeed ^ 0x5DEECE66DL);
        List<SplittableRandom> rngs = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) rngs.add(base.split());
        return IntStream.range(0, clips.size()).parallel().mapToObj(i -> example(clips.get(i), rngs.get(i))).toList();
    }

    private Example example(Clip c, SplittableRandom rng) {
        Example o = c.original();
        float[] y = augment.apply(c.samples(), extractor.config().sr(), rng);
        PaddedFeatures p;
        try {
            p = SerModel.normalize(PaddedFeatures.fit(extractor.compute(y), maxFrames), perUtterance, stats);
        } catch (IllegalArgumentException tooShort) {
            return o; // sped up below the deltas' minimum length: this epoch sees the clip as it is
        }
        return new Example(o.id(), p.data(), p.validFrames(), p.width(), o.label());
    }
}
