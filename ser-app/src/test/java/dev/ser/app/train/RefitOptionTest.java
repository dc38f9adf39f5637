package dev.ser.app.train;

import dev.ser.app.cli.UsageException;
import dev.ser.app.model.FeatureNormalization;
import dev.ser.app.model.SerModel;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.engine.io.Json;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RefitOptionTest {
    private static Map<String, Object> config(int hidden) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("max_frames", 240);
        c.put("model", Map.of("hidden_size", hidden, "bidirectional", true));
        c.put("training", Map.of("epochs", 60, "seed", 42));
        return c;
    }

    /** A finished run's folder: config.json and a model file whose training record says {@code training}. */
    private static Path run(Path dir, Map<String, Object> config, Map<String, Object> training) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("config.json"), Json.writePretty(config));
        FeatureConfig features = FeatureConfig.defaults();
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(features);
        acc.add(new dev.ser.audio.pipeline.FeatureExtractor(features).compute(new float[8000]));
        SequenceClassifier.Config mc = new SequenceClassifier.Config(features.layout().width(), 4, 1, false, 0, Pooling.Kind.MEAN, List.of(), 2);
        new SerModel(new SequenceClassifier(mc, DType.F32, 1), acc.finish(), FeatureNormalization.DATASET, List.of("happy", "sad"), 240, training)
                .save(dir.resolve("model.safetensors"));
        return dir;
    }

    @Test void aCountIsTakenAsItIsAndNothingMeansNoRefit() throws Exception {
        assertEquals(0, RefitOption.epochs(null, config(256)));
        assertEquals(46, RefitOption.epochs("46", config(256)));
        assertThrows(UsageException.class, () -> RefitOption.epochs("0", config(256)));
    }

    @Test void aRunFolderGivesItsRecordedBestEpochWhenItsOptionsAreTheseOnes(@TempDir Path dir) throws Exception {
        Path validated = run(dir.resolve("a"), config(256), Map.of("best_epoch", 52, "val_uar", 0.52));
        assertEquals(52, RefitOption.epochs(validated.toString(), config(256)));

        var other = assertThrows(UsageException.class, () -> RefitOption.epochs(validated.toString(), config(192)));
        assertTrue(other.getMessage().contains("model.hidden_size: 256 there, 192 here"), other.getMessage());

        Map<String, Object> refitConfig = config(256);
        refitConfig.put("refit_epochs", 52);
        Path refit = run(dir.resolve("b"), refitConfig, Map.of("best_epoch", 52, "refit_epochs", 52));
        var twice = assertThrows(UsageException.class, () -> RefitOption.epochs(refit.toString(), config(256)));
        assertTrue(twice.getMessage().contains("itself a refit"), twice.getMessage());

        var neither = assertThrows(UsageException.class, () -> RefitOption.epochs(dir.resolve("missing").toString(), config(256)));
        assertTrue(neither.getMessage().contains("neither"), neither.getMessage());
    }

    @Test void theRefitEntryItselfIsNotADifference() {
        Map<String, Object> a = config(256), b = config(256);
        b.put("refit_epochs", 30);
        assertNull(RefitOption.firstDifference(a, b));
        b.put("augment", "specaugment");
        assertEquals("augment: null there, \"specaugment\" here", RefitOption.firstDifference(a, b));
    }
}
