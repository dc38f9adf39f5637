package dev.ser.app.predict;

import dev.ser.app.model.SerModel;
import dev.ser.audio.io.Audio;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictorTest {
    static Predictor predictor;

    @BeforeAll
    static void load(@TempDir Path dir) throws Exception {
        predictor = new Predictor(SerModel.load(TinyModel.save(dir)), 2);
    }

    @AfterAll
    static void close() { predictor.close(); }

    @Test
    void aClipThatFitsIsOneWindowWithProbabilitiesThatSumToOne(@TempDir Path dir) throws Exception {
        Path f = TinyModel.wav(dir, "a.wav", TinyModel.voice(6000, 150, 0.3, 1));
        Prediction p = predictor.predict(f);
        assertEquals(1, p.windows());
        assertEquals(1 + 6000 / 160, p.frames());
        double sum = 0;
        for (double q : p.probabilities()) sum += q;
        assertEquals(1.0, sum, 1e-6);
        assertEquals(p.labels().get(p.argmax()), p.label());
        assertEquals(f.toString(), p.source());
        // Same clip decoded by hand: same numbers.
        Prediction q = predictor.predict(new Audio(TinyModel.quantized(TinyModel.voice(6000, 150, 0.3, 1)), 16000, 1, "WAV PCM_16"));
        assertArrayEquals(p.probabilities(), q.probabilities());
    }

    @Test
    void anEnsemblePredictsTheMeanOfItsMembers(@TempDir Path dir) throws Exception {
        SerModel a = TinyModel.build(1), b = TinyModel.build(2);
        Path f = TinyModel.wav(dir, "long.wav", TinyModel.voice(20000, 140, 0.3, 5)); // 3 windows
        double[] pa, pb, mean;
        try (Predictor one = new Predictor(a, 1); Predictor other = new Predictor(b, 1);
             Predictor both = new Predictor(new dev.ser.app.model.SerEnsemble(List.of(a, b)), 1)) {
            pa = one.predict(f).probabilities();
            pb = other.predict(f).probabilities();
            mean = both.predict(f).probabilities();
        }
        assertFalse(java.util.Arrays.equals(pa, pb), "two seeds, two answers");
        for (int k = 0; k < mean.length; k++) assertEquals((pa[k] + pb[k]) / 2, mean[k], 1e-6);
    }

    @Test
    void testTimeSpeedsAverageTheClipHeardAtEachSpeed(@TempDir Path dir) throws Exception {
        SerModel m = TinyModel.build(3);
        float[] y = TinyModel.voice(6000, 150, 0.3, 2);
        double[] slow, fast, both;
        try (Predictor plain = new Predictor(m, 1);
             Predictor tta = new Predictor(dev.ser.app.model.SerEnsemble.of(m).withSpeeds(new double[]{0.9, 1.1}), 1)) {
            slow = plain.predictSamples(dev.ser.app.train.WaveAugment.speed(y, 16000, 0.9), "slow").probabilities();
            fast = plain.predictSamples(dev.ser.app.train.WaveAugment.speed(y, 16000, 1.1), "fast").probabilities();
            both = tta.predictSamples(y, "both").probabilities();
        }
        for (int k = 0; k < both.length; k++) assertEquals((slow[k] + fast[k]) / 2, both[k], 1e-6);
    }

    @Test
    void softSpeechBetweenLongPausesIsNotSilent(@TempDir Path dir) throws Exception {
        // 0.3 s of voice at about -50 dBFS RMS in 3.7 s of nothing: the whole clip's RMS is about -61 dBFS, its
        // loudest 100 ms -50. Like RAVDESS's softest clips, it must be classified, not refused.
        float[] y = new float[16000 * 4];
        float[] voice = TinyModel.voice(4800, 150, 0.004, 4);
        System.arraycopy(voice, 0, y, 16000, voice.length);
        assertTrue(Predictor.rmsDbfs(y) < -60 && Predictor.loudestDbfs(y, 16000) > -55,
                Predictor.rmsDbfs(y) + " / " + Predictor.loudestDbfs(y, 16000));
        assertEquals(9, predictor.predictSamples(y, "soft").windows()); // classified (4 s in windows of 0.5 s), not refused
        assertEquals(Double.NEGATIVE_INFINITY, Predictor.loudestDbfs(new float[16000], 16000));
    }

    @Test
    void speakersGroupTheClipsOfASpeakerNormalizedModel(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) files.add(TinyModel.wav(dir, "s" + i + ".wav", TinyModel.voice(6000, 110 + 30 * i, 0.1 + 0.05 * i, i)));
        SerModel bySpeaker = TinyModel.build(5, dev.ser.app.model.FeatureNormalization.SPEAKER);
        try (Predictor p = new Predictor(bySpeaker, 2)) {
            List<Predictor.Outcome> alone = p.predictAll(files);
            List<Predictor.Outcome> ownSpeakers = p.predictAll(files, List.of("a", "b", "c", "d"));
            List<Predictor.Outcome> oneSpeaker = p.predictAll(files, List.of("x", "x", "x", "x"));
            for (int i = 0; i < files.size(); i++) // a speaker of one clip is that clip normalized over itself
                assertArrayEquals(alone.get(i).orThrow().probabilities(), ownSpeakers.get(i).orThrow().probabilities(), 1e-6);
            assertFalse(java.util.Arrays.equals(alone.get(0).orThrow().probabilities(), oneSpeaker.get(0).orThrow().probabilities()),
                    "grouped, a clip is normalized over all four");
            // Interleaved speakers are classified speaker by speaker; outcomes come back in input order.
            List<Predictor.Outcome> interleaved = p.predictAll(files, List.of("x", "y", "x", "y"));
            List<Predictor.Outcome> x = p.predictAll(List.of(files.get(0), files.get(2)), List.of("x", "x"));
            List<Predictor.Outcome> y = p.predictAll(List.of(files.get(1), files.get(3)), List.of("y", "y"));
            for (int i = 0; i < files.size(); i++) {
                assertEquals(files.get(i), interleaved.get(i).file());
                Predictor.Outcome alonePart = (i % 2 == 0 ? x : y).get(i / 2);
                assertArrayEquals(alonePart.orThrow().probabilities(), interleaved.get(i).orThrow().probabilities(), 0);
            }
        }
        try (Predictor p = new Predictor(TinyModel.build(5), 2)) { // a model without speaker normalization ignores speakers
            assertArrayEquals(p.predictAll(files).get(1).orThrow().probabilities(),
                    p.predictAll(files, List.of("x", "x", "x", "x")).get(1).orThrow().probabilities(), 0);
        }
    }

    /**
     * An ensemble that adapts does so only where speakers are known, once for each member and speaker, each speaker
     * apart from the others (interleaved speakers give what each speaker's files give alone).
     */
    @Test
    void adaptationFitsEachMemberToEachKnownSpeaker(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 4; i++) files.add(TinyModel.wav(dir, "s" + i + ".wav", TinyModel.voice(6000, 110 + 30 * i, 0.1 + 0.05 * i, i)));
        var members = List.of(TinyModel.build(5, dev.ser.app.model.FeatureNormalization.SPEAKER),
                TinyModel.build(6, dev.ser.app.model.FeatureNormalization.SPEAKER));
        var plain = new dev.ser.app.model.SerEnsemble(members);
        var adapting = plain.withAdaptation(dev.ser.app.adapt.SpeakerAdaptation.Objective.INFORMATION_MAXIMIZATION);
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Predictor p = new Predictor(plain, 2); Predictor a = new Predictor(adapting, 2).logTo(lines::add)) {
            List<String> speakers = List.of("x", "y", "x", "y");
            for (int i = 0; i < files.size(); i++) // without speakers there is nothing to adapt to
                assertArrayEquals(p.predictAll(files).get(i).orThrow().probabilities(), a.predictAll(files).get(i).orThrow().probabilities(), 0);
            assertTrue(lines.isEmpty(), lines.toString());
            List<Predictor.Outcome> adapted = a.predictAll(files, speakers), asTrained = p.predictAll(files, speakers);
            assertEquals(4, lines.size(), "two members, two speakers: " + lines);
            assertTrue(lines.getFirst().startsWith("model 1 of 2: adapted to x x1.0 (2 clips, im): objective "), lines.getFirst());
            assertFalse(java.util.Arrays.equals(adapted.get(0).orThrow().probabilities(), asTrained.get(0).orThrow().probabilities()));
            List<Predictor.Outcome> x = a.predictAll(List.of(files.get(0), files.get(2)), List.of("x", "x"));
            List<Predictor.Outcome> y = a.predictAll(List.of(files.get(1), files.get(3)), List.of("y", "y"));
            for (int i = 0; i < files.size(); i++)
                assertArrayEquals((i % 2 == 0 ? x : y).get(i / 2).orThrow().probabilities(), adapted.get(i).orThrow().probabilities(), 0);
        }
    }

    @Test
    void batchesGiveEachFileWhatItGetsAlone(@TempDir Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 40; i++)  // more than one batch of 32, clips of different lengths and one long one
            files.add(TinyModel.wav(dir, "c" + i + ".wav", TinyModel.voice(i == 7 ? 30000 : 3000 + 150 * i, 100 + 7 * i, 0.25, i)));
        List<Predictor.Outcome> all = predictor.predictAll(files);
        assertEquals(40, all.size());
        for (int i = 0; i < files.size(); i += 7) {
            assertEquals(files.get(i), all.get(i).file());
            // Within a float ulp, not bit for bit: the engine's batched kernels may round a row differently for
            // another batch size (seen on the long clip: its 3 windows alone vs in a batch of 32).
            assertArrayEquals(predictor.predict(files.get(i)).probabilities(), all.get(i).orThrow().probabilities(), 1e-6,
                    "file " + i + ": batched and alone differ by more than rounding");
        }
    }

    @Test
    void aLongClipIsTheMeanOfFullWindowsTheLastAlignedToTheEnd() throws Exception {
        // 1.3 s = 131 frames: windows at frames 0, 50 and 81 (the last one end-aligned).
        Prediction p = predictor.predictSamples(TinyModel.voice(20800, 180, 0.3, 3), "long");
        assertEquals(131, p.frames());
        assertEquals(3, p.windows());
        assertTrue(p.averaged());
    }

    @Test
    void silenceAndTooShortClipsAreRefusedWithTheFileAndWhatToDo(@TempDir Path dir) throws Exception {
        Path silent = TinyModel.wav(dir, "quiet.wav", new float[16000]);
        PredictionException e = assertThrows(PredictionException.class, () -> predictor.predict(silent));
        assertEquals(PredictionException.Kind.SILENT, e.kind());
        assertTrue(e.getMessage().startsWith(silent.toString() + ": silent"), e.getMessage());
        assertTrue(e.getMessage().contains("-60 dBFS"), e.getMessage());

        Path shortClip = TinyModel.wav(dir, "short.wav", TinyModel.voice(800, 200, 0.3, 0));  // 50 ms, 6 frames < 9
        e = assertThrows(PredictionException.class, () -> predictor.predict(shortClip));
        assertEquals(PredictionException.Kind.TOO_SHORT, e.kind());
        assertTrue(e.getMessage().contains("need at least 9"), e.getMessage());
    }

    @Test
    void anUnreadableFileFailsAloneInABatch(@TempDir Path dir) throws Exception {
        Path good = TinyModel.wav(dir, "good.wav", TinyModel.voice(5000, 140, 0.3, 2));
        Path bad = dir.resolve("bad.wav");
        Files.writeString(bad, "this is not audio");
        List<Predictor.Outcome> out = predictor.predictAll(List.of(bad, good, dir.resolve("missing.wav")));
        var failed = assertInstanceOf(Predictor.Outcome.Failed.class, out.get(0));
        assertEquals(PredictionException.Kind.UNREADABLE, failed.error().kind());
        assertTrue(failed.error().reason().contains("expected a RIFF/WAVE file"), failed.error().reason());
        assertFalse(failed.error().reason().startsWith(bad.toString()), "the file name is not repeated in the reason");
        assertInstanceOf(Predictor.Outcome.Ok.class, out.get(1));
        assertEquals("no such file", ((Predictor.Outcome.Failed) out.get(2)).error().reason());
    }
}
