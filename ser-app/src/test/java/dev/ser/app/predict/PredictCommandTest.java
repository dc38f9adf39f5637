package dev.ser.app.predict;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.UsageException;
import dev.ser.engine.io.Json;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PredictCommandTest {
    static Path dir, model, corpus;

    /** A folder of three clips, one RAVDESS-named (angry), one nested, and one corrupt file. */
    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        dir = tmp;
        model = TinyModel.save(dir);
        corpus = dir.resolve("clips");
        TinyModel.wav(corpus, "Actor_01/03-01-05-01-01-01-01.wav", TinyModel.voice(7000, 120, 0.3, 1));
        TinyModel.wav(corpus, "b, with comma.wav", TinyModel.voice(5000, 200, 0.2, 2));
        TinyModel.wav(corpus, "sub/long.wav", TinyModel.voice(20000, 160, 0.3, 3));
        Files.writeString(corpus.resolve("broken.wav"), "RIFF....WAVEjunk");
        Files.writeString(corpus.resolve("notes.txt"), "not audio, not a .wav: skipped by the walk");
    }

    record Result(int status, String out, String err) {}

    static Result run(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = new PredictCommand(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), "/dev/ser/app/predict/absent.safetensors")
                .run(Args.parse(List.of(argv), Set.of("stream")));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aTableShowsEachFileTheTrueLabelWhereTheNameSaysAndListsTheFailures() throws Exception {
        Result r = run(corpus.toString(), "--model", model.toString());
        assertEquals(1, r.status(), "one file failed");
        String[] lines = r.out().split("\n");
        assertTrue(lines[0].matches("file +true +label +confidence +neutral +happy +sad +angry +note"), lines[0]);
        assertTrue(lines[1].contains("03-01-05-01-01-01-01.wav") && lines[1].split(" +")[1].equals("angry"), lines[1]);
        assertTrue(lines[2].contains("b, with comma.wav") && lines[2].split(" +")[3].equals("-"), lines[2]);
        assertTrue(lines[3].contains("sub/long.wav") && lines[3].contains("mean of 3 windows"), lines[3]);
        // Aligned: every row's label column starts where the header's does.
        int at = lines[0].indexOf("label");
        for (int i = 1; i <= 3; i++) assertTrue(lines[i].charAt(at - 1) == ' ' && lines[i].charAt(at) != ' ', lines[i]);
        assertTrue(r.out().contains("1 file(s) not predicted:\n  " + corpus.resolve("broken.wav") + ": "), r.out());
        assertTrue(!r.out().contains("notes.txt"));
    }

    @Test
    void jsonIsAListOfObjectsFailuresIncluded() throws Exception {
        Result r = run(corpus.toString(), "--model", model.toString(), "--format", "json");
        assertEquals(1, r.status());
        List<?> list = (List<?>) Json.parse(r.out());
        assertEquals(4, list.size());
        Map<?, ?> ravdess = (Map<?, ?>) list.get(0);
        assertEquals("angry", ravdess.get("true"));
        Map<?, ?> probs = (Map<?, ?>) ravdess.get("probabilities");
        assertEquals(TinyModel.LABELS, List.copyOf(probs.keySet().stream().map(String::valueOf).toList()));
        double sum = probs.values().stream().mapToDouble(v -> ((Number) v).doubleValue()).sum();
        assertEquals(1.0, sum, 1e-6);
        Map<?, ?> broken = (Map<?, ?>) list.stream().filter(o -> String.valueOf(((Map<?, ?>) o).get("file")).endsWith("broken.wav")).findFirst().orElseThrow();
        assertEquals("unreadable", broken.get("error"));
        assertTrue(String.valueOf(broken.get("reason")).contains("without a"), String.valueOf(broken.get("reason")));
        assertTrue(r.err().contains("1 of 4 file(s) could not be predicted"), r.err());
    }

    @Test
    void csvHasAHeaderQuotedCellsAndTopK() throws Exception {
        Result r = run(corpus.resolve("b, with comma.wav").toString(), corpus.resolve("sub").toString(), "--model", model.toString(),
                "--format", "csv", "--top", "2");
        assertEquals(0, r.status(), r.out());
        String[] lines = r.out().split("\n");
        assertEquals("file,true,label,confidence,top1_label,top1_probability,top2_label,top2_probability,windows,seconds,error", lines[0]);
        assertEquals(3, lines.length);
        assertTrue(lines[1].startsWith("\"" + corpus.resolve("b, with comma.wav") + "\",,"), lines[1]);
        String[] cells = lines[2].split(",");
        assertEquals(cells[2], cells[4], "top1 is the label");
        assertEquals(cells[3], cells[5], "top1's probability is the confidence");
        assertTrue(Double.parseDouble(cells[5]) >= Double.parseDouble(cells[7]));
    }

    @Test
    void withoutModelTheBundledOneIsUsedAndItsAbsenceIsExplained() {
        UsageException e = assertThrows(UsageException.class, () -> run(corpus.toString()));
        assertEquals("no bundled model in this build: train one with `ser train` and pass --model run/model.safetensors", e.getMessage());
    }

    @Test
    void mistakesAreUsageErrors() {
        assertThrows(UsageException.class, () -> run("--model", model.toString()));
        assertThrows(UsageException.class, () -> run(corpus.toString(), "--model", model.toString(), "--hop", "1"));
        assertThrows(UsageException.class, () -> run(corpus.toString(), "--model", model.toString(), "--format", "jsonl"));
        UsageException e = assertThrows(UsageException.class, () -> run(corpus.toString(), "--model", dir.resolve("nope.safetensors").toString()));
        assertTrue(e.getMessage().startsWith("no model file"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run("-", "--stream", "--model", model.toString(), "--encoding", "u8"));
        assertTrue(e.getMessage().contains("s16le"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(corpus.toString(), "--model", model.toString(), "--adapt", "im"));
        assertTrue(e.getMessage().contains("--speakers"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(corpus.toString(), "--model", model.toString(), "--adapt", "tent", "--speakers", "one"));
        assertTrue(e.getMessage().startsWith("--adapt: unknown adaptation 'tent'"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run("-", "--stream", "--model", model.toString(), "--adapt", "im", "--speakers", "one"));
        assertTrue(e.getMessage().contains("does not apply to --stream"), e.getMessage());
    }

    @Test
    void stdinThatIsNeitherWavNorDescribedRawSaysWhatToGive() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        var cmd = new PredictCommand(new java.io.ByteArrayInputStream(new byte[] {1, 2, 3, 4, 5}), new PrintStream(out), new PrintStream(out), "/x");
        var e = assertThrows(dev.ser.audio.io.AudioFormatException.class,
                () -> cmd.run(Args.parse(List.of("--stream", "-", "--model", model.toString()), Set.of("stream"))));
        assertTrue(e.getMessage().contains("--rate R"), e.getMessage());
    }

    @Test
    void severalModelsAndTestTimeSpeedsFromTheCommandLine() throws Exception {
        Path other = dir.resolve("other.safetensors");
        TinyModel.build(7).save(other);
        Path clip = corpus.resolve("Actor_01/03-01-05-01-01-01-01.wav");
        Result one = run(clip.toString(), "--model", model.toString(), "--format", "json");
        Result two = run(clip.toString(), "--model", model + "," + other, "--format", "json");
        Result tta = run(clip.toString(), "--model", model.toString(), "--format", "json", "--tta", "0.9,1.1");
        assertEquals(0, two.status());
        assertTrue(!one.out().equals(two.out()) && !one.out().equals(tta.out()), "a second model and other speeds change the answer");
        assertEquals(one.out(), run(clip.toString(), "--model", model.toString(), "--format", "json", "--tta", "1").out());
        UsageException bad = assertThrows(UsageException.class, () -> run(clip.toString(), "--model", model.toString(), "--tta", "fast"));
        assertTrue(bad.getMessage().contains("--tta"), bad.getMessage());
        UsageException range = assertThrows(UsageException.class, () -> run(clip.toString(), "--model", model.toString(), "--tta", "3"));
        assertTrue(range.getMessage().contains("[0.5, 2]"), range.getMessage());
    }

    static Result runBundled(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int rc = new PredictCommand(InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), PredictCommand.BUNDLED_MODEL).run(Args.parse(List.of(argv), Set.of("stream")));
        return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static boolean close(Map<?, ?> a, Map<?, ?> b, double tolerance) {
        if (!a.keySet().equals(b.keySet())) return false;
        for (Object k : a.keySet())
            if (Math.abs(((Number) a.get(k)).doubleValue() - ((Number) b.get(k)).doubleValue()) > tolerance) return false;
        return true;
    }

    static void assertClose(Map<?, ?> expected, Map<?, ?> actual, double tolerance, String what) {
        assertTrue(close(expected, actual, tolerance), what + ": expected " + expected + ", got " + actual);
    }

    static Map<?, ?> probabilities(Result r, String fileEnd) {
        for (Object o : (List<?>) Json.parse(r.out()))
            if (String.valueOf(((Map<?, ?>) o).get("file")).endsWith(fileEnd)) return (Map<?, ?>) ((Map<?, ?>) o).get("probabilities");
        throw new AssertionError(fileEnd + " not in " + r.out());
    }

    /**
     * With the bundled pair, a speaker's only clip is predicted clip by clip by the default model (a speaker-normalized
     * model would normalize it over itself alone); a speaker's several clips go to the speaker model. Tagged so that the
     * GPU check, whose copy of the tree travels without the bundled models (scripts/gpu-pack-project.sh), leaves it out.
     */
    @Test
    @Tag("bundled-model")
    void aSpeakersOnlyClipGoesToTheClipLevelModel(@TempDir Path tmp) throws Exception {
        Path a1 = TinyModel.wav(tmp, "Actor_01/03-01-05-01-01-01-01.wav", TinyModel.voice(24000, 120, 0.3, 11));
        Path a2 = TinyModel.wav(tmp, "Actor_01/03-01-04-01-02-01-01.wav", TinyModel.voice(24000, 140, 0.1, 12));
        Path b1 = TinyModel.wav(tmp, "Actor_02/03-01-03-01-01-01-02.wav", TinyModel.voice(24000, 230, 0.3, 13));
        Result plain = runBundled(a1.toString(), a2.toString(), b1.toString(), "--format", "json");
        Result corpus = runBundled(a1.toString(), a2.toString(), b1.toString(), "--format", "json", "--speakers", "corpus");
        assertEquals(0, corpus.status(), corpus.err());
        // (within float rounding: a batch of one and a batch of three may round a row differently)
        assertClose(probabilities(plain, "-02.wav"), probabilities(corpus, "-02.wav"), 1e-6, "actor 2's only clip: the default model's answer");
        assertTrue(!close(probabilities(plain, "05-01-01-01-01.wav"), probabilities(corpus, "05-01-01-01-01.wav"), 1e-3), "actor 1: the speaker model");
        assertTrue(corpus.err().contains("1 file(s) are the only clip of their speaker"), corpus.err());
        Result one = runBundled(b1.toString(), "--format", "json", "--speakers", "one");
        assertClose(probabilities(plain, "-02.wav"), probabilities(one, "-02.wav"), 1e-6, "--speakers one, one file");
        Result both = runBundled(a1.toString(), a2.toString(), "--format", "json", "--speakers", "one");
        assertTrue(!both.err().contains("only clip"), both.err());
        // a stream of one speaker: the default model answers for its first window only
        Path talk = TinyModel.wav(tmp, "talk.wav", TinyModel.voice(64000, 150, 0.3, 14));  // 4 s: windows of 2.39 s every 0.5 s
        Result stream = runBundled("--stream", talk.toString(), "--speakers", "one", "--format", "csv");
        assertTrue(stream.err().contains("the first window clip by clip (default model)"), stream.err());
        Result streamed = runBundled("--stream", talk.toString(), "--format", "csv");
        String[] withSpeaker = stream.out().split("\n"), clipByClip = streamed.out().split("\n");
        assertTrue(withSpeaker.length >= 4, stream.out());
        assertEquals(clipByClip[1], withSpeaker[1], "the first window");
        assertTrue(!clipByClip[2].equals(withSpeaker[2]), "the second window: the speaker model");
    }
}
