package dev.ser.app.train;

import dev.ser.app.model.FeatureNormalization;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.PaddedFeatures;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The training clips as waveforms at the model's rate, turned into freshly augmented examples every epoch:
 * {@link WaveAugment} on the samples, then the model's own feature pipeline and normalization (the training
 * set's statistics, computed once from the unaugmented clips). Features of 900 clips take a few seconds on two
 * cores, so drawing new ones per epoch costs little next to the LSTM.
 *
 * <p>With {@code --vtlp}, each speaker draws one warp factor an epoch, shared by all of its clips.
 *
 * <p>Each clip draws from its own generator, split in clip order from the epoch's seed: the examples are the
 * same whatever the thread count, and a resumed run sees the epochs an uninterrupted one would.
 */
public final class WaveformTrainingSet implements Trainer.EpochExamples {
    /** One training clip: its samples at the extractor's rate, the (unaugmented) example it stands for, its speaker. */
    public record Clip(float[] samples, Example original, String speaker) {}

    private final List<Clip> clips;
    /** The clips' speakers, sorted by name: the order in which each epoch draws their VTLP factors. */
    private final List<String> speakers;
    private final WaveAugment augment;
    private final FeatureExtractor extractor;
    private final FeatureNormalization normalization;
    private final FeatureStats stats;
    private final int maxFrames;

    public WaveformTrainingSet(List<Clip> clips, WaveAugment augment, FeatureExtractor extractor, FeatureNormalization normalization, FeatureStats stats,
                               int maxFrames) {
        this.clips = List.copyOf(clips);
        this.speakers = this.clips.stream().map(Clip::speaker).distinct().sorted().toList();
        this.augment = augment;
        this.extractor = extractor;
        this.normalization = normalization;
        this.stats = stats;
        this.maxFrames = maxFrames;
    }

    /** The unaugmented examples, in clip order (what {@link Trainer#fit} is given as the training set). */
    public List<Example> originals() { return clips.stream().map(Clip::original).toList(); }

    @Override public List<Example> forEpoch(long epochSeed) {
        SplittableRandom base = new SplittableRandom(epochSeed ^ 0x5DEECE66DL);
        List<SplittableRandom> rngs = new ArrayList<>(clips.size());
        for (int i = 0; i < clips.size(); i++) rngs.add(base.split());
        Map<String, Double> vtlp = vtlpPerSpeaker(epochSeed);
        List<Drawn> drawn = IntStream.range(0, clips.size()).parallel()
                .mapToObj(i -> features(clips.get(i), rngs.get(i), vtlp.get(clips.get(i).speaker()))).toList();
        // Speaker normalization groups a speaker's clips drawn at the same speed: each group is one new voice.
        List<Drawn> fresh = drawn.stream().filter(d -> d.raw() != null).toList();
        List<PaddedFeatures> normalized = normalization.apply(fresh.stream().map(Drawn::raw).toList(),
                fresh.stream().map(d -> d.clip().speaker() + " x" + d.speed()).toList(), stats);
        List<Example> out = new ArrayList<>(clips.size());
        int k = 0;
        for (Drawn d : drawn) {
            Example o = d.clip().original();
            if (d.raw() == null) {
                out.add(o); // sped up below the deltas' minimum length: this epoch sees the clip as it is
                continue;
            }
            PaddedFeatures p = normalized.get(k++);
            out.add(new Example(o.id(), p.data(), p.validFrames(), p.width(), o.label()));
        }
        return out;
    }

    /** The epoch's VTLP factor of each speaker, drawn in speaker-name order from a generator of its own. */
    private Map<String, Double> vtlpPerSpeaker(long epochSeed) {
        double[] factors = augment.vtlpFactors(speakers.size(), new SplittableRandom(epochSeed ^ 0x7F4A7C15L));
        Map<String, Double> out = new HashMap<>();
        for (int i = 0; i < factors.length; i++) out.put(speakers.get(i), factors[i]);
        return out;
    }

    /** A clip's augmented features before normalization (null when too short for the deltas) and its speed. */
    private record Drawn(Clip clip, PaddedFeatures raw, double speed) {}

    private Drawn features(Clip c, SplittableRandom rng, double vtlp) {
        WaveAugment.Augmented a = augment.draw(c.samples(), extractor.config().sr(), rng);
        try {
            return new Drawn(c, PaddedFeatures.fit(extractor.compute(a.samples(), vtlp), maxFrames), a.speed());
        } catch (IllegalArgumentException tooShort) {
            return new Drawn(c, null, a.speed());
        }
    }
}
