package dev.ser.app.train;

import dev.ser.app.model.FeatureNormalization;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WaveformTrainingSetTest {
    static final int MAX_FRAMES = 40;
    static final FeatureConfig CONFIG = FeatureConfig.defaults().with(Map.of("features", List.of("mfcc", "rms"), "deltas", List.of()));
    static final FeatureExtractor EXTRACTOR = new FeatureExtractor(CONFIG);

    /** Tones of three pitches (the labels), a third of a second each, and the statistics of their features. */
    static WaveformTrainingSet set(WaveAugment augment, int n) {
        List<float[]> waves = new ArrayList<>();
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(CONFIG);
        for (int i = 0; i < n; i++) {
            float[] y = WaveAugmentTest.tone(150 + 150 * (i % 3) + 7 * i, 0.33);
            waves.add(y);
            acc.add(PaddedFeatures.fit(EXTRACTOR.compute(y), MAX_FRAMES));
        }
        FeatureStats stats = acc.finish();
        List<WaveformTrainingSet.Clip> clips = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            PaddedFeatures p = FeatureNormalization.DATASET.apply(PaddedFeatures.fit(EXTRACTOR.compute(waves.get(i)), MAX_FRAMES), stats);
            clips.add(new WaveformTrainingSet.Clip(waves.get(i), new Example("clip" + i, p.data(), p.validFrames(), p.width(), i % 3), "speaker" + i % 2));
        }
        return new WaveformTrainingSet(clips, augment, EXTRACTOR, FeatureNormalization.DATASET, stats, MAX_FRAMES);
    }

    @Test void anEpochIsAFunctionOfItsSeedAndKeepsOrderAndLabels() {
        WaveformTrainingSet s = set(WaveAugment.parse("0.9,1.1", "15,30"), 9);
        List<Example> a = s.forEpoch(11), again = s.forEpoch(11), other = s.forEpoch(12);
        for (int i = 0; i < 9; i++) {
            Example o = s.originals().get(i);
            assertEquals(o.id(), a.get(i).id());
            assertEquals(o.label(), a.get(i).label());
            assertArrayEquals(a.get(i).features(), again.get(i).features(), "same seed, same clip " + i);
            assertFalse(java.util.Arrays.equals(a.get(i).features(), other.get(i).features()), "another epoch draws anew: clip " + i);
            assertFalse(java.util.Arrays.equals(a.get(i).features(), o.features()), "augmented: clip " + i);
        }
    }

    @Test void speakerNormalizationGroupsEachSpeakersClipsDrawnAtTheSameSpeed() {
        int n = 8;
        WaveformTrainingSet dataset = set(WaveAugment.parse("1.0", null), n); // only for its clips
        List<WaveformTrainingSet.Clip> clips = new ArrayList<>();
        List<PaddedFeatures> raw = new ArrayList<>();
        List<String> speakers = new ArrayList<>();
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(CONFIG);
        for (int i = 0; i < n; i++) {
            float[] y = WaveAugmentTest.tone(150 + 150 * (i % 3) + 7 * i, 0.33);
            raw.add(PaddedFeatures.fit(EXTRACTOR.compute(y), MAX_FRAMES));
            speakers.add("speaker" + i % 2);
            clips.add(new WaveformTrainingSet.Clip(y, dataset.originals().get(i), speakers.get(i)));
        }
        FeatureNormalization.SPEAKER.standardize(raw, speakers, CONFIG).forEach(acc::add);
        FeatureStats stats = acc.finish();
        // Speed 1 only: every epoch is the clips normalized over their speaker's clips, as Datasets does.
        WaveformTrainingSet s = new WaveformTrainingSet(clips, WaveAugment.parse("1.0", null), EXTRACTOR, FeatureNormalization.SPEAKER, stats,
                MAX_FRAMES);
        List<PaddedFeatures> expected = FeatureNormalization.SPEAKER.apply(raw, speakers, stats);
        List<Example> epoch = s.forEpoch(3);
        for (int i = 0; i < n; i++) assertArrayEquals(expected.get(i).data(), epoch.get(i).features(), 1e-6f, "clip " + i);
        // Per clip, the same features come out otherwise: the grouping is what differs.
        List<PaddedFeatures> perClip = FeatureNormalization.UTTERANCE.apply(raw, speakers, stats);
        assertFalse(java.util.Arrays.equals(perClip.getFirst().data(), epoch.getFirst().features()));
    }

    /** VTLP draws one factor per speaker and epoch from a generator of its own. */
    @Test void vtlpWarpsEachSpeakersClipsAlikeAndLeavesTheOtherDrawsAlone() {
        // Pairs of identical clips: 0 and 2 of speaker0, 1 and 3 of speaker1 (as set() assigns speakers).
        List<WaveformTrainingSet.Clip> clips = new ArrayList<>();
        WaveformTrainingSet plain = set(WaveAugment.NONE, 4);
        float[] tone = WaveAugmentTest.tone(300, 0.33);
        for (int i = 0; i < 4; i++) clips.add(new WaveformTrainingSet.Clip(tone, plain.originals().get(i), "speaker" + i % 2));
        FeatureStats stats = new FeatureStats.Accumulator(CONFIG).add(PaddedFeatures.fit(EXTRACTOR.compute(tone), MAX_FRAMES)).finish();
        WaveformTrainingSet s = new WaveformTrainingSet(clips, WaveAugment.parse(null, null, "0.9,1.1"), EXTRACTOR, FeatureNormalization.DATASET,
                stats, MAX_FRAMES);
        List<Example> e = s.forEpoch(5);
        assertArrayEquals(e.get(0).features(), e.get(2).features(), "one speaker, one factor");
        assertArrayEquals(e.get(1).features(), e.get(3).features(), "one speaker, one factor");
        assertFalse(java.util.Arrays.equals(e.get(0).features(), e.get(1).features()), "another speaker, another factor");
        assertFalse(java.util.Arrays.equals(e.get(0).features(), s.forEpoch(6).get(0).features()), "another epoch, another factor");

        // A range of one point, 1: the speed and noise draws are those of a run without --vtlp, bit for bit.
        List<Example> without = set(WaveAugment.parse("0.9,1.0,1.1", "20,40"), 6).forEpoch(8);
        List<Example> withUnitVtlp = set(WaveAugment.parse("0.9,1.0,1.1", "20,40", "1.0,1.0"), 6).forEpoch(8);
        for (int i = 0; i < 6; i++) assertArrayEquals(without.get(i).features(), withUnitVtlp.get(i).features(), "clip " + i);
    }

    @Test void withoutAugmentationAnEpochIsTheOriginals() {
        WaveformTrainingSet s = set(WaveAugment.NONE, 4);
        List<Example> e = s.forEpoch(3);
        for (int i = 0; i < 4; i++) assertArrayEquals(s.originals().get(i).features(), e.get(i).features());
    }

    /** The trainer draws each epoch's examples from the set, and a resumed run still equals an uninterrupted one. */
    @Test void trainingWithItResumesExactly(@TempDir Path dir) throws Exception {
        WaveformTrainingSet s = set(WaveAugment.parse("0.9,1.0,1.1", "20,40"), 12);
        List<Example> train = s.originals(), val = set(WaveAugment.NONE, 6).originals();
        SequenceClassifier.Config config = new SequenceClassifier.Config(train.getFirst().width(), 6, 1, false, 0.1, Pooling.Kind.MEAN, List.of(), 3);
        TrainOptions options = new TrainOptions(3, 4, "adamw", 0.01, 1e-2, "cosine", 10, 0.5, 1, 1e-4, 1.0, 0, "uar", true, 0, 7);
        ProgressBar quiet = new ProgressBar(new PrintStream(new ByteArrayOutputStream()), false);
        Trainer.Result a = new Trainer(new SequenceClassifier(config, DType.F32, 5), options, dir.resolve("a"), quiet).epochExamples(s)
                .fit(train, val, false);
        new Trainer(new SequenceClassifier(config, DType.F32, 5), options, dir.resolve("b"), quiet).epochExamples(s).fit(train, val, false, 1);
        Trainer.Result b = new Trainer(new SequenceClassifier(config, DType.F32, 9), options, dir.resolve("b"), quiet).epochExamples(s)
                .fit(train, val, true);
        for (int i = 0; i < 3; i++) assertEquals(a.history().get(i).trainLoss(), b.history().get(i).trainLoss(), 0, "epoch " + (i + 1));
        Trainer.Result plain = new Trainer(new SequenceClassifier(config, DType.F32, 5), options, dir.resolve("c"), quiet).fit(train, val, false);
        assertFalse(plain.history().getFirst().trainLoss() == a.history().getFirst().trainLoss(), "the augmented epochs are what it trained on");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new Trainer(new SequenceClassifier(config, DType.F32, 5), options,
                dir.resolve("d"), quiet).epochExamples(seed -> train.subList(1, train.size())).fit(train, val, false));
        assertEquals("the epoch's examples are 11, the training set 12", e.getMessage());
    }
}
