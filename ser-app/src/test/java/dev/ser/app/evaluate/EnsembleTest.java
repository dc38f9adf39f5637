package dev.ser.app.evaluate;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.UsageException;
import dev.ser.app.model.SerModel;
import dev.ser.audio.io.WavWriter;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureStats;
import dev.ser.engine.io.Json;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnsembleTest {
    static final int SR = 16000;

    static float[] tone(double hz, int n) {
        float[] y = new float[n];
        for (int i = 0; i < n; i++) y[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / SR) + 0.05 * Math.sin(2 * Math.PI * 3 * hz * i / SR));
        return y;
    }

    /** An untrained model (weights from {@code seed}) on 8 MFCCs, of the given labels. */
    static Path model(Path dir, String name, long seed, List<String> labels) throws Exception {
        FeatureConfig config = FeatureConfig.defaults().with(Map.of("n_mels", 16, "n_mfcc", 8, "features", List.of("mfcc"), "deltas", List.of()));
        FeatureStats.Accumulator acc = new FeatureStats.Accumulator(config);
        acc.add(new FeatureExtractor(config).compute(tone(200, SR / 2)));
        SequenceClassifier.Config mc = new SequenceClassifier.Config(8, 6, 1, false, 0, Pooling.Kind.MEAN, List.of(), labels.size());
        Path p = dir.resolve(name);
        new SerModel(new SequenceClassifier(mc, DType.F32, seed), acc.finish(), dev.ser.app.model.FeatureNormalization.DATASET, labels, 60, Map.of()).save(p);
        return p;
    }

    static String evaluate(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream stdout = System.out;
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            new EvaluateCommand().run(Args.parse(List.of(argv), Set.of("json")));
        } finally {
            System.setOut(stdout);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test void addsAndScales() {
        float[][] m = Ensemble.scale(Ensemble.add(new float[][] {{0.2f, 0.8f}}, new float[][] {{0.6f, 0.4f}}), 0.5);
        assertArrayEquals(new float[] {0.4f, 0.6f}, m[0], 1e-7f);
        assertThrows(IllegalArgumentException.class, () -> Ensemble.add(new float[1][2], new float[2][2]));
    }

    /** A model twice is that model; two models give their mean; models of other labels are refused. */
    @Test void evaluatesTheMeanOfItsModels(@TempDir Path dir) throws Exception {
        List<String> labels = List.of("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised");
        Path corpus = dir.resolve("ravdess");
        java.nio.file.Files.createDirectories(corpus.resolve("Actor_01"));
        java.nio.file.Files.createDirectories(corpus.resolve("Actor_02"));
        for (int e = 1; e <= 8; e++)
            WavWriter.write(corpus.resolve("Actor_01/03-01-0" + e + "-01-01-01-01.wav"), tone(120 + 40 * e, 8000), SR, 16);
        WavWriter.write(corpus.resolve("Actor_02/03-01-01-01-01-01-02.wav"), tone(300, 8000), SR, 16);
        String a = model(dir, "a.safetensors", 1, labels).toString(), b = model(dir, "b.safetensors", 2, labels).toString();
        String cache = dir.resolve("cache").toString();
        String alone = evaluate(corpus.toString(), "--model", a, "--json", "--cache", cache);
        assertEquals(Json.parse(alone), Json.parse(evaluate(corpus.toString(), "--model", a + "," + a, "--json", "--cache", cache)));
        String both = evaluate(corpus.toString(), "--model", a + "," + b, "--json", "--cache", cache);
        assertNotEquals(Json.parse(alone), Json.parse(both));
        assertTrue(both.contains("\"accuracy\""), both);

        // One ensemble file (`ser ensemble`) is the same as naming its models.
        Path joined = dir.resolve("ab.safetensors");
        new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", joined.toString(), a, b), Set.of()));
        assertEquals(2, dev.ser.app.model.SerEnsemble.load(joined).size());
        assertArrayEquals(new double[]{1.0}, dev.ser.app.model.SerEnsemble.load(joined).speeds(), 0);
        Path withTta = dir.resolve("ab-tta.safetensors");
        new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", withTta.toString(), "--tta", "0.9,1.0,1.1", a, b), Set.of()));
        assertArrayEquals(new double[]{0.9, 1.0, 1.1}, dev.ser.app.model.SerEnsemble.load(withTta).speeds(), 0);
        // the file's speeds apply by default; --tta 1 turns them off
        assertEquals(Json.parse(both), Json.parse(evaluate(corpus.toString(), "--model", withTta.toString(), "--tta", "1", "--json", "--cache", cache)));
        assertNotEquals(Json.parse(both), Json.parse(evaluate(corpus.toString(), "--model", withTta.toString(), "--json", "--cache", cache)));
        assertEquals(Json.parse(both), Json.parse(evaluate(corpus.toString(), "--model", joined.toString(), "--json", "--cache", cache)));
        // an ensemble file alone is rewritten, keeping its speeds unless --tta says otherwise; one model alone is no ensemble
        Path half = dir.resolve("ab-tta-f16.safetensors");
        new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", half.toString(), "--weights", "float16", withTta.toString()), Set.of()));
        assertArrayEquals(new double[]{0.9, 1.0, 1.1}, dev.ser.app.model.SerEnsemble.load(half).speeds(), 0);
        dev.ser.engine.io.SafeTensors halfTensors = dev.ser.engine.io.SafeTensors.read(half);
        assertEquals("F16", halfTensors.entry("member.1.lstm.weight_hh_l0").dtype(), halfTensors.names().toString());
        // adaptation to the speaker: recorded by `ser ensemble --adapt`, kept when rewritten, applied by default, --adapt none turns it off
        Path adapting = dir.resolve("ab-im.safetensors");
        new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", adapting.toString(), "--adapt", "im", a, b), Set.of()));
        assertEquals(dev.ser.app.adapt.SpeakerAdaptation.Objective.INFORMATION_MAXIMIZATION, dev.ser.app.model.SerEnsemble.load(adapting).adaptation());
        assertEquals(null, dev.ser.app.model.SerEnsemble.load(joined).adaptation());
        Path adaptingHalf = dir.resolve("ab-im-f16.safetensors");
        new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", adaptingHalf.toString(), "--weights", "float16", adapting.toString()), Set.of()));
        assertEquals(dev.ser.app.adapt.SpeakerAdaptation.Objective.INFORMATION_MAXIMIZATION, dev.ser.app.model.SerEnsemble.load(adaptingHalf).adaptation());
        assertEquals(Json.parse(both), Json.parse(evaluate(corpus.toString(), "--model", adapting.toString(), "--adapt", "none", "--json", "--cache", cache)));
        Object adapted = Json.parse(evaluate(corpus.toString(), "--model", adapting.toString(), "--json", "--cache", cache));
        assertNotEquals(Json.parse(both), adapted);
        assertEquals(adapted, Json.parse(evaluate(corpus.toString(), "--model", a + "," + b, "--adapt", "im", "--json", "--cache", cache)));
        UsageException badAdapt = assertThrows(UsageException.class, () -> evaluate(corpus.toString(), "--model", a, "--adapt", "yes"));
        assertTrue(badAdapt.getMessage().startsWith("--adapt: unknown adaptation 'yes'"), badAdapt.getMessage());
        UsageException single = assertThrows(UsageException.class,
                () -> new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", dir.resolve("y.safetensors").toString(), a), Set.of())));
        assertTrue(single.getMessage().contains("two or more models"), single.getMessage());
        IllegalArgumentException notOne = assertThrows(IllegalArgumentException.class, () -> SerModel.load(joined));
        assertTrue(notOne.getMessage().contains("ensemble"), notOne.getMessage());

        String other = model(dir, "c.safetensors", 3, List.of("neutral", "angry")).toString();
        UsageException refused = assertThrows(UsageException.class,
                () -> new dev.ser.app.ensemble.EnsembleCommand().run(Args.parse(List.of("--out", dir.resolve("x.safetensors").toString(), a, other), Set.of())));
        assertTrue(refused.getMessage().contains("same labels"), refused.getMessage());
        UsageException e = assertThrows(UsageException.class, () -> evaluate(corpus.toString(), "--model", a + "," + other, "--cache", cache));
        assertTrue(e.getMessage().contains("same labels"), e.getMessage());
    }
}
