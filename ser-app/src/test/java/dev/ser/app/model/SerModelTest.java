package dev.ser.app.model;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.audio.pipeline.PaddedFeatures;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SerModelTest {
    private static final FeatureConfig CONFIG = FeatureConfig.defaults().with(Map.of("n_mels", 16, "n_mfcc", 8, "features", List.of("mfcc", "mel")));

    private static PaddedFeatures clip(long seed, int frames) {
        SplittableRandom rng = new SplittableRandom(seed);
        int w = CONFIG.layout().width();
        float[] d = new float[frames * w];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rng.nextGaussian() * 3 + 5);
        return PaddedFeatures.fit(new FeatureMatrix(d, frames, w, CONFIG.layout()), 30);
    }

    private static SerModel model(FeatureNormalization normalization) {
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(CONFIG);
        List<PaddedFeatures> clips = List.of(clip(0, 20), clip(1, 20), clip(2, 20), clip(3, 20));
        normalization.standardize(clips, List.of("a", "a", "b", "b"), CONFIG).forEach(acc::add);
        SequenceClassifier.Config mc = new SequenceClassifier.Config(CONFIG.layout().width(), 6, 1, true, 0.2, Pooling.Kind.ATTENTION, List.of(5), 3);
        return new SerModel(new SequenceClassifier(mc, DType.F32, 7), acc.finish(), normalization, List.of("neutral", "happy", "sad"), 30,
                Map.of("note", "test"));
    }

    private static float[] logits(SerModel m, PaddedFeatures raw) {
        PaddedFeatures x = m.normalize(raw);
        m.classifier().train(false);
        return m.classifier().forward(Tensor.of(x.data(), 1, x.maxFrames(), x.width()), new int[]{x.validFrames()}).toFloatArray();
    }

    @Test void savedAndLoadedModelsComputeTheSame(@TempDir Path dir) throws Exception {
        for (FeatureNormalization normalization : FeatureNormalization.values()) {
            SerModel m = model(normalization);
            Path file = dir.resolve("m-" + normalization.option + ".safetensors");
            m.save(file);
            SerModel back = SerModel.load(file);
            assertEquals(normalization, back.normalization());
            assertEquals(m.labels(), back.labels());
            assertEquals(30, back.maxFrames());
            assertEquals(CONFIG, back.featureConfig());
            assertEquals("test", back.training().get("note"));
            PaddedFeatures raw = clip(99, 25);
            assertArrayEquals(logits(m, raw), logits(back, raw), 0f);
        }
    }

    @Test void perUtteranceNormalizationRemovesAClipsConstantOffset() {
        SerModel m = model(FeatureNormalization.UTTERANCE);
        PaddedFeatures a = clip(5, 25);
        float[] shifted = a.data().clone();
        for (int i = 0; i < a.validFrames() * a.width(); i++) shifted[i] += 10; // a louder speaker, another microphone
        PaddedFeatures b = new PaddedFeatures(shifted, a.maxFrames(), a.width(), a.validFrames());
        assertArrayEquals(m.normalize(a).data(), m.normalize(b).data(), 1e-4f);
    }

    @Test void aFileThatIsNotAModelIsAClearError(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("weights.safetensors");
        new SafeTensors.Writer().put("x", new int[]{1}, new float[]{1}).write(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SerModel.load(file));
        assertTrue(e.getMessage().contains("not a ser model file"), e.getMessage());
    }
}
