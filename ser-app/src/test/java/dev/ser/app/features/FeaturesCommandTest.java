package dev.ser.app.features;

import dev.ser.app.cli.Args;
import dev.ser.app.cli.UsageException;
import dev.ser.audio.io.WavWriter;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeaturesCommandTest {
    static final Set<String> FLAGS = Set.of("help", "htk", "deltas", "quiet");

    static int run(String... argv) throws IOException {
        return new FeaturesCommand().run(Args.parse(List.of(argv), FLAGS));
    }

    /** 0.3 s of a 220 Hz tone with a little noise at 48 kHz: resampling, mel and chroma all have work. */
    static Path tone(Path dir, String name) throws IOException {
        float[] y = new float[14400];
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.3 * Math.sin(2 * Math.PI * 220 * i / 48000.0) + 0.01 * r.nextGaussian());
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        WavWriter.write(f, y, 48000, 16);
        return f;
    }

    @Test
    void safetensorsHoldTheMatrixTheBlocksAndTheExactConfig(@TempDir Path dir) throws IOException {
        Path wav = tone(dir, "a.wav"), out = dir.resolve("a.safetensors");
        assertEquals(0, run(wav.toString(), "--out", out.toString(), "--n-mels", "64", "--quiet"));
        SafeTensors st = SafeTensors.read(out);
        FeatureConfig config = FeatureConfig.fromJson(st.metadata().get("feature_config"));
        assertEquals(FeatureConfig.defaults().with("n_mels", 64), config);
        assertEquals(config.fingerprint(), st.metadata().get("fingerprint"));
        FeatureMatrix expected = new FeatureExtractor(config).extract(wav);
        assertArrayEquals(new int[] {expected.frames(), 13 * 3 + 64 + 12}, st.shape("features"));
        assertArrayEquals(expected.data(), st.floats("features"));
        assertArrayEquals(expected.block("mel"), st.floats("mel"));
        assertEquals(List.of(39L, 103L), ((Map<?, ?>) Json.parseObject(st.metadata().get("columns"))).get("mel"));
        assertEquals("frames", st.metadata().get("layout"));
    }

    @Test
    void npyInLibrosaLayoutIsTheTransposeWithASidecar(@TempDir Path dir) throws IOException {
        Path wav = tone(dir, "a.wav"), out = dir.resolve("a.npy");
        assertEquals(0, run(wav.toString(), "--out", out.toString(), "--format", "npy", "--layout", "librosa",
                "--feature", "mfcc,rms", "--quiet"));
        FeatureMatrix expected = new FeatureExtractor(FeatureConfig.defaults().with(Map.of("features", List.of("mfcc", "rms"),
                "deltas", List.of()))).extract(wav);
        Npy.Array a = Npy.read(out);
        assertArrayEquals(new int[] {14, expected.frames()}, a.shape());
        assertArrayEquals(expected.toFeaturesByFrames(), a.data());
        Map<String, Object> side = Json.parseObject(Files.readString(dir.resolve("a.json")));
        assertEquals("librosa", side.get("layout"));
        assertEquals(List.of("mfcc", "rms"), ((Map<?, ?>) side.get("feature_config")).get("features"));
    }

    @Test
    void maxFramesPadsAndWritesTheMask(@TempDir Path dir) throws IOException {
        Path wav = tone(dir, "a.wav"), out = dir.resolve("a.safetensors");
        assertEquals(0, run(wav.toString(), "--out", out.toString(), "--max-frames", "40", "--quiet"));
        SafeTensors st = SafeTensors.read(out);
        float[] mask = st.floats("mask");
        assertEquals(40, mask.length);
        assertEquals(31, (int) Float.parseFloat(st.metadata().get("valid_frames"))); // 0.3 s at 16 kHz, hop 160: 1 + 4800/160
        assertEquals(1f, mask[30]);
        assertEquals(0f, mask[31]);
        float[] f = st.floats("features");
        for (int i = 31 * 91; i < f.length; i++) assertEquals(0f, f[i]);
    }

    @Test
    void aFolderIsMirroredAndBadFilesAreSkippedWithExitStatusOne(@TempDir Path dir) throws IOException {
        Path in = dir.resolve("in");
        tone(in, "actor1/x.wav");
        tone(in, "actor2/y.WAV");
        Files.writeString(in.resolve("actor2/broken.wav"), "not audio");
        Path out = dir.resolve("out");
        assertEquals(1, run(in.toString(), "--out", out.toString(), "--format", "csv", "--quiet"));
        assertTrue(Files.isRegularFile(out.resolve("actor1/x.csv")));
        assertTrue(Files.isRegularFile(out.resolve("actor1/x.json")));
        assertTrue(Files.isRegularFile(out.resolve("actor2/y.csv")));
        assertFalse(Files.exists(out.resolve("actor2/broken.csv")));
        List<String> lines = Files.readAllLines(out.resolve("actor1/x.csv"));
        assertTrue(lines.get(0).startsWith("mfcc_0,mfcc_1,"), lines.get(0));
        assertEquals(91, lines.get(1).split(",").length);
        assertEquals(1 + 31, lines.size());
    }

    @Test
    void userMistakesAreUsageErrors(@TempDir Path dir) throws IOException {
        Path wav = tone(dir, "a.wav");
        assertThrows(UsageException.class, () -> run(wav.toString(), "--hop-lenght", "160"));
        var e = assertThrows(UsageException.class, () -> run(wav.toString(), "--feature", "mfcc,formants"));
        assertTrue(e.getMessage().contains("formants") && e.getMessage().contains("pitch"), e.getMessage()); // names the known ones
        e = assertThrows(UsageException.class, () -> run(wav.toString(), "--pitch-fmin", "50"));
        assertTrue(e.getMessage().contains("pitch_fmin is set but pitch is not among the features"), e.getMessage());
        e = assertThrows(UsageException.class, () -> run(wav.toString(), "--win-length", "1024"));
        assertTrue(e.getMessage().contains("win_length=1024, n_fft=512"), e.getMessage());
        assertThrows(UsageException.class, () -> run(dir.resolve("missing.wav").toString()));
        assertThrows(UsageException.class, () -> run());
        assertThrows(UsageException.class, () -> run(wav.toString(), "--format", "parquet"));
    }

    @Test
    void librosaOptionNamesReachTheConfig() {
        FeatureConfig c = FeaturesCommand.config(Args.parse(List.of("--sr", "22050", "--n-fft", "256", "--hop-length", "128",
                "--n-mels", "64", "--n-mfcc", "20", "--fmin", "50", "--fmax", "8000", "--htk", "--norm", "none", "--lifter", "22",
                "--top-db", "none", "--tuning", "none", "--feature", "mfcc,centroid", "--deltas"), FLAGS));
        assertEquals(FeatureConfig.fromMap(Map.ofEntries(Map.entry("sr", 22050L), Map.entry("n_fft", 256L), Map.entry("hop_length", 128L),
                Map.entry("win_length", 256L), Map.entry("n_mels", 64L), Map.entry("n_mfcc", 20L), Map.entry("fmin", 50.0),
                Map.entry("fmax", 8000.0), Map.entry("htk", true), Map.entry("lifter", 22L), Map.entry("features", List.of("mfcc", "centroid")),
                Map.entry("deltas", List.of(1L, 2L)))).with(Map.of()).with("norm", null).with("top_db", null).with("tuning", null), c);
    }
}
