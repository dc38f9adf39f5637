package dev.ser.app.predict;

import dev.ser.app.cli.Args;
import dev.ser.app.model.SerModel;
import dev.ser.audio.io.WavWriter;
import dev.ser.engine.io.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StreamPredictorTest {
    static Path dir, model;
    static Predictor predictor;
    /** Three different "utterances" and a pause, 2.0 s at 16 kHz, already on the 16-bit grid so every path sees the same floats. */
    static float[] talk;
    static Path talkWav;

    @BeforeAll
    static void setUp(@TempDir Path tmp) throws Exception {
        dir = tmp;
        model = TinyModel.save(dir);
        predictor = new Predictor(SerModel.load(model), 1);
        float[] a = TinyModel.voice(8000, 110, 0.3, 1), b = TinyModel.voice(9600, 230, 0.15, 2), c = TinyModel.voice(6400, 170, 0.4, 3);
        float[] pause = new float[8000];
        talk = TinyModel.quantized(concat(a, pause, b, c));
        talkWav = TinyModel.wav(dir, "talk.wav", talk);
    }

    @AfterAll
    static void close() { predictor.close(); }

    static float[] concat(float[]... parts) {
        float[] out = new float[0];
        for (float[] p : parts) {
            int n = out.length;
            out = Arrays.copyOf(out, n + p.length);
            System.arraycopy(p, 0, out, n, p.length);
        }
        return out;
    }

    static List<Map<String, Object>> jsonl(String text) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (String line : text.split("\n")) if (!line.isBlank()) out.add(Json.parseObject(line));
        return out;
    }

    static String run(InputStream stdin, String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int rc = new PredictCommand(stdin, ps, new PrintStream(new ByteArrayOutputStream()), "/nowhere/model.safetensors")
                .run(Args.parse(List.of(argv), Set.of("stream")));
        assertEquals(0, rc);
        return out.toString(StandardCharsets.UTF_8);
    }

    static double[] probabilities(Map<String, Object> row) {
        Map<?, ?> p = (Map<?, ?>) row.get("probabilities");
        double[] out = new double[p.size()];
        int i = 0;
        for (Object v : p.values()) out[i++] = ((Number) v).doubleValue();
        return out;
    }

    @Test
    void theDefaultWindowIsExactlyTheModelsMaxFramesAndTheHopIsHalfASecond() {
        StreamPredictor sp = new StreamPredictor(predictor, null, StreamPredictor.DEFAULT_HOP_SECONDS);
        assertEquals((TinyModel.MAX_FRAMES - 1) * 160, sp.windowSamples());
        assertEquals(8000, sp.hopSamples());
        List<StreamPredictor.Segment> segs = new ArrayList<>();
        sp.run(new dev.ser.audio.io.Audio(talk, 16000, 1, "WAV PCM_16"), "talk", segs::add);
        // 32000 samples, windows of 7840 every 8000: full windows at 0, 0.5, 1.0, 1.5 s; the next start is the end.
        assertEquals(List.of(0.0, 0.5, 1.0, 1.5), segs.stream().map(StreamPredictor.Segment::start).toList());
        assertEquals(0.49, segs.getFirst().end(), 1e-12);
        assertEquals(1.99, segs.getLast().end(), 1e-12);
        for (var s : segs) if (s.prediction() != null) assertEquals(TinyModel.MAX_FRAMES, s.prediction().frames());
        // The pause from 0.5 to 1.0 s is silence.
        assertEquals(PredictionException.Kind.SILENT, segs.get(1).skipped().kind());
        assertNull(segs.get(1).prediction());
    }

    @Test
    void stdinRawPcmEqualsFileStreamingEqualsPredictingEachExcerptAsAFile() throws Exception {
        String[] common = {"--model", model.toString(), "--format", "jsonl", "--window", "0.6", "--hop", "0.4"};
        String fromFile = run(InputStream.nullInputStream(), concat2(common, "--stream", talkWav.toString()));
        String fromRaw = run(new ByteArrayInputStream(TinyModel.s16le(talk)), concat2(common, "--stream", "-", "--rate", "16000"));
        String fromWavPipe = run(new ByteArrayInputStream(WavWriter.toBytes(talk, 1, 16000, 16)), concat2(common, "--stream", "-"));
        assertEquals(fromFile, fromRaw);
        assertEquals(fromFile, fromWavPipe);

        List<Map<String, Object>> rows = jsonl(fromFile);
        // Full windows at 0, 0.4, 0.8, 1.2 s (to 1.8 s); the last 0.2 s get a partial window from 1.6 to 2.0 s.
        assertEquals(5, rows.size());
        assertEquals(1.6, ((Number) rows.getLast().get("start")).doubleValue());
        assertEquals(2.0, ((Number) rows.getLast().get("end")).doubleValue());
        int checked = 0;
        for (var row : rows) {
            if (row.containsKey("skipped")) continue;
            int start = (int) Math.round(((Number) row.get("start")).doubleValue() * 16000);
            int end = (int) Math.round(((Number) row.get("end")).doubleValue() * 16000);
            Path excerpt = TinyModel.wav(dir, "excerpt-" + start + ".wav", Arrays.copyOfRange(talk, start, end));
            Prediction p = predictor.predict(excerpt);
            assertArrayEquals(p.probabilities(), probabilities(row), "window at " + row.get("start") + " s differs from its excerpt");
            assertEquals(p.label(), row.get("label"));
            checked++;
        }
        assertTrue(checked >= 4, "checked " + checked + " windows");
    }

    @Test
    void multichannelRawPcmIsAveragedLikeAWavFile() throws Exception {
        float[] left = TinyModel.quantized(TinyModel.voice(12000, 150, 0.3, 5)), right = TinyModel.quantized(TinyModel.voice(12000, 210, 0.2, 6));
        float[] interleaved = new float[24000];
        for (int i = 0; i < 12000; i++) {
            interleaved[2 * i] = left[i];
            interleaved[2 * i + 1] = right[i];
        }
        Path stereo = dir.resolve("stereo.wav");
        WavWriter.write(stereo, interleaved, 2, 16000, 16);
        String[] common = {"--model", model.toString(), "--format", "jsonl", "--stream"};
        assertEquals(run(InputStream.nullInputStream(), concat2(common, stereo.toString())),
                run(new ByteArrayInputStream(TinyModel.s16le(interleaved)), concat2(common, "-", "--rate", "16000", "--channels", "2")));
    }

    @Test
    void otherRatesAreResampledInChunksExactlyAsWhole() throws Exception {
        // 48 kHz stdin in odd-sized reads vs the same file read whole: the streaming resampler is bit-identical.
        float[] y48 = TinyModel.quantized(TinyModel.voice(60000, 140, 0.3, 9));
        Path f = dir.resolve("48k.wav");
        WavWriter.write(f, y48, 48000, 16);
        byte[] raw = TinyModel.s16le(y48);
        InputStream trickle = new InputStream() {  // hands out at most 777 bytes per read, as a pipe might
            int pos;
            @Override public int read() { return pos < raw.length ? raw[pos++] & 0xFF : -1; }
            @Override public int read(byte[] b, int off, int len) {
                if (pos >= raw.length) return -1;
                int n = Math.min(Math.min(len, 777), raw.length - pos);
                System.arraycopy(raw, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        String[] common = {"--model", model.toString(), "--format", "jsonl", "--stream", "--hop", "0.25"};
        List<Map<String, Object>> file = jsonl(run(InputStream.nullInputStream(), concat2(common, f.toString())));
        List<Map<String, Object>> piped = jsonl(run(trickle, concat2(common, "-", "--rate", "48000")));
        assertEquals(file.size(), piped.size());
        // Bit for bit: the chunked resampler and the whole-signal one add the same taps in the same order
        // (Dot.vector sums its lanes in a fixed order, so the JIT's warm-up cannot change the rounding).
        for (int i = 0; i < file.size(); i++) {
            assertEquals(file.get(i).get("start"), piped.get(i).get("start"));
            assertArrayEquals(probabilities(file.get(i)), probabilities(piped.get(i)), 0);
        }
    }

    @Test
    void windowsArePrintedBeforeTheInputEnds() throws Exception {
        byte[] raw = TinyModel.s16le(talk);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
        int[] linesAtHalf = {-1};
        InputStream live = new InputStream() {  // 0.1 s per read; halfway through, note how much was already printed
            int pos;
            @Override public int read() { throw new UnsupportedOperationException(); }
            @Override public int read(byte[] b, int off, int len) {
                if (pos >= raw.length / 2 && linesAtHalf[0] < 0) linesAtHalf[0] = jsonl(out.toString(StandardCharsets.UTF_8)).size();
                if (pos >= raw.length) return -1;
                int n = Math.min(Math.min(len, 3200), raw.length - pos);
                System.arraycopy(raw, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        new PredictCommand(live, ps, new PrintStream(new ByteArrayOutputStream()), "/nowhere")
                .run(Args.parse(List.of("--stream", "-", "--rate", "16000", "--model", model.toString(), "--format", "jsonl"), Set.of("stream")));
        // By 1.0 s in, the windows ending at 0.49 and 0.99 s have been decided and printed.
        assertEquals(2, linesAtHalf[0], "windows are printed as soon as their samples are in, not at the end of the input");
        assertEquals(4, jsonl(out.toString(StandardCharsets.UTF_8)).size());
    }

    @Test
    void theTableTimelineHasOneLinePerWindow() throws Exception {
        String table = run(InputStream.nullInputStream(), "--model", model.toString(), "--stream", talkWav.toString(), "--hop", "1");
        String[] lines = table.split("\n");
        assertTrue(lines[0].startsWith("start    end      label"), lines[0]);
        assertTrue(lines[0].contains("neutral") && lines[0].contains("angry"), lines[0]);
        assertEquals(1 + 2, lines.length, table);  // windows at 0 and 1.0 s; the next start, 2.0 s, is the end
    }

    @Test
    void oneSpeakerNormalizesEachWindowOverTheWindowsHeardSoFar() throws Exception {
        SerModel bySpeaker = TinyModel.build(5, dev.ser.app.model.FeatureNormalization.SPEAKER);
        try (Predictor p = new Predictor(bySpeaker, 1)) {
            List<StreamPredictor.Segment> adaptive = new ArrayList<>(), alone = new ArrayList<>();
            dev.ser.audio.io.Audio audio = new dev.ser.audio.io.Audio(talk, 16000, 1, "WAV PCM_16");
            new StreamPredictor(p, null, 0.3, true).run(audio, "talk", adaptive::add); // windows of the model's 50 frames
            new StreamPredictor(p, null, 0.3, false).run(audio, "talk", alone::add);
            assertEquals(alone.stream().map(StreamPredictor.Segment::start).toList(), adaptive.stream().map(StreamPredictor.Segment::start).toList());
            // Window k is what `--speakers one` gives the last of the voiced excerpts 0..k as one speaker's files.
            List<Path> heard = new ArrayList<>();
            int checked = 0;
            for (StreamPredictor.Segment s : adaptive) {
                if (s.prediction() == null) {
                    assertEquals(PredictionException.Kind.SILENT, s.skipped().kind()); // the pause adds nothing
                    continue;
                }
                int start = (int) Math.round(s.start() * 16000), end = (int) Math.round(s.end() * 16000);
                heard.add(TinyModel.wav(dir, "heard-" + start + ".wav", Arrays.copyOfRange(talk, start, end)));
                List<Predictor.Outcome> batch = p.predictAll(heard, java.util.Collections.nCopies(heard.size(), "one"));
                assertArrayEquals(batch.getLast().orThrow().probabilities(), s.prediction().probabilities(), 1e-6, "window at " + s.start() + " s");
                checked++;
            }
            assertTrue(checked >= 4, "checked " + checked + " windows");
            // The first window (one model window long) is normalized over itself alone; later ones differ from the window alone.
            assertArrayEquals(alone.getFirst().prediction().probabilities(), adaptive.getFirst().prediction().probabilities(), 0);
            assertFalse(Arrays.equals(alone.getLast().prediction().probabilities(), adaptive.getLast().prediction().probabilities()));
            // A speaker's running statistics belong to the predictor that started it (its speeds, its feature config).
            try (Predictor other = new Predictor(bySpeaker, 1)) {
                var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                        () -> other.predictSamples(talk, "talk", p.newSpeaker()));
                assertTrue(e.getMessage().contains("another Predictor"), e.getMessage());
            }
        }
    }

    /** A clip-level model answers for the first window; the window still joins the speaker, so later windows are unchanged. */
    @Test
    void aFirstWindowModelAnswersForTheFirstWindowOnly() throws Exception {
        SerModel bySpeaker = TinyModel.build(5, dev.ser.app.model.FeatureNormalization.SPEAKER);
        dev.ser.audio.io.Audio audio = new dev.ser.audio.io.Audio(talk, 16000, 1, "WAV PCM_16");
        try (Predictor p = new Predictor(bySpeaker, 1)) {
            List<StreamPredictor.Segment> plain = new ArrayList<>(), helped = new ArrayList<>();
            new StreamPredictor(p, null, 0.3, true).run(audio, "talk", plain::add);
            StreamPredictor sp = new StreamPredictor(p, null, 0.3, true, predictor);
            assertTrue(sp.firstWindowAlone());
            sp.run(audio, "talk", helped::add);
            assertEquals(plain.size(), helped.size());
            int first = 0;
            while (plain.get(first).prediction() == null) first++;
            StreamPredictor.Segment s = helped.get(first);
            int start = (int) Math.round(s.start() * 16000), end = (int) Math.round(s.end() * 16000);
            assertArrayEquals(predictor.predictSamples(Arrays.copyOfRange(talk, start, end), "w").probabilities(), s.prediction().probabilities(), 0);
            assertFalse(Arrays.equals(plain.get(first).prediction().probabilities(), s.prediction().probabilities()), "another model answered");
            int later = 0;
            for (int k = first + 1; k < plain.size(); k++) {
                if (plain.get(k).prediction() == null) continue;
                assertArrayEquals(plain.get(k).prediction().probabilities(), helped.get(k).prediction().probabilities(), 0, "window " + k);
                later++;
            }
            assertTrue(later >= 3, "later windows compared: " + later);
            org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> new StreamPredictor(p, null, 0.3, false, predictor));
        }
    }

    @Test
    void aStreamTakesSpeakersOneNotCorpus() throws Exception {
        Path speakerModel = dir.resolve("by-speaker.safetensors");
        TinyModel.build(5, dev.ser.app.model.FeatureNormalization.SPEAKER).save(speakerModel);
        List<Map<String, Object>> rows = jsonl(run(InputStream.nullInputStream(), "--model", speakerModel.toString(), "--stream",
                talkWav.toString(), "--speakers", "one", "--format", "jsonl"));
        assertEquals(4, rows.size());
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.ser.app.cli.UsageException.class, () -> run(InputStream.nullInputStream(),
                "--model", speakerModel.toString(), "--stream", talkWav.toString(), "--speakers", "corpus"));
        assertTrue(e.getMessage().contains("--speakers one"), e.getMessage());
    }

    static String[] concat2(String[] a, String... b) {
        String[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
