package dev.ser.app.data;

import dev.ser.audio.io.WavWriter;
import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureMatrix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCacheTest {
    @TempDir Path tmp;

    /** MFCCs and RMS only: cheap to compute, and still a multi-block layout. */
    static FeatureConfig small() {
        return FeatureConfig.defaults().with(Map.of("features", List.of("mfcc", "rms"), "deltas", List.of()));
    }

    /** A tone of {@code seconds} at 16 kHz, 16-bit: 0.25 s is hashed whole, 5 s by its first and last 64 KiB. */
    static Path tone(Path dir, String name, double seconds, double hz) throws IOException {
        float[] y = new float[(int) (seconds * 16000)];
        for (int i = 0; i < y.length; i++) y[i] = (float) (0.3 * Math.sin(2 * Math.PI * hz * i / 16000.0));
        Path f = dir.resolve(name);
        Files.createDirectories(f.getParent());
        WavWriter.write(f, y, 16000, 16);
        return f;
    }

    @Test void secondReadIsAHitWithTheSameNumbers() throws IOException {
        Path wav = tone(tmp, "a.wav", 0.25, 220);
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), w -> { throw new AssertionError("unexpected warning: " + w); });
        FeatureExtractor ex = new FeatureExtractor(small());
        FeatureMatrix first = cache.getOrCompute(wav, ex);
        FeatureMatrix second = cache.getOrCompute(wav, ex);
        assertEquals(new FeatureCache.Stats(1, 1, 0), cache.stats());
        assertArrayEquals(first.data(), second.data());
        assertEquals(first.frames(), second.frames());
        assertEquals(ex.extract(wav).layout(), second.layout());
        Path entry = cache.entryPath(wav, small());
        assertTrue(Files.isRegularFile(entry));
        assertTrue(entry.startsWith(tmp.resolve("cache").resolve(small().fingerprint())), entry.toString());
    }

    @Test void changedConfigIsAMiss() throws IOException {
        Path wav = tone(tmp, "a.wav", 0.25, 220);
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), w -> {});
        cache.getOrCompute(wav, new FeatureExtractor(small()));
        FeatureConfig other = small().with("n_mfcc", 20);
        assertTrue(cache.get(wav, other).isEmpty());
        FeatureMatrix m = cache.getOrCompute(wav, new FeatureExtractor(other));
        assertEquals(21, m.width());
        assertEquals(new FeatureCache.Stats(0, 2, 0), cache.stats());
        assertTrue(cache.get(wav, small()).isPresent(), "the first config's entry is still valid");
    }

    @Test void touchedFileIsAMiss() throws IOException {
        Path wav = tone(tmp, "a.wav", 0.25, 220);
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), w -> {});
        FeatureExtractor ex = new FeatureExtractor(small());
        cache.getOrCompute(wav, ex);
        Files.setLastModifiedTime(wav, FileTime.fromMillis(Files.getLastModifiedTime(wav).toMillis() + 5000));
        assertTrue(cache.get(wav, small()).isEmpty());
        cache.getOrCompute(wav, ex);
        assertEquals(new FeatureCache.Stats(0, 2, 0), cache.stats());
    }

    @Test void contentChangedWithSizeAndTimePreservedIsAMiss() throws IOException {
        for (double seconds : new double[] {0.25, 5.0}) { // hashed whole; hashed by its ends
            Path wav = tone(tmp, "b" + seconds + ".wav", seconds, 220);
            FeatureCache cache = new FeatureCache(tmp.resolve("cache"), w -> {});
            FeatureExtractor ex = new FeatureExtractor(small());
            FeatureMatrix before = cache.getOrCompute(wav, ex);
            FileTime time = Files.getLastModifiedTime(wav);
            byte[] other = Files.readAllBytes(tone(tmp.resolve("x"), "c.wav", seconds, 440)); // same size, other tone
            Files.write(wav, other);
            Files.setLastModifiedTime(wav, time); // as cp -p would
            assertTrue(cache.get(wav, small()).isEmpty(), seconds + " s");
            FeatureMatrix after = cache.getOrCompute(wav, ex);
            assertFalse(java.util.Arrays.equals(before.data(), after.data()));
            assertArrayEquals(ex.extract(wav).data(), after.data());
        }
    }

    @Test void corruptEntriesAreDeletedAndRecomputedWithAWarning() throws IOException {
        Path wav = tone(tmp, "a.wav", 0.25, 220);
        List<String> warnings = new ArrayList<>();
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), warnings::add);
        FeatureExtractor ex = new FeatureExtractor(small());
        FeatureMatrix good = cache.getOrCompute(wav, ex);
        Path entry = cache.entryPath(wav, small());
        byte[] valid = Files.readAllBytes(entry);

        List<byte[]> damaged = List.of(
                "garbage".getBytes(),                                     // not safetensors at all
                java.util.Arrays.copyOf(valid, valid.length / 2),         // truncated write (a crash without atomic rename)
                new byte[0]);
        for (byte[] bad : damaged) {
            Files.write(entry, bad);
            FeatureMatrix m = cache.getOrCompute(wav, ex);
            assertArrayEquals(good.data(), m.data());
            assertArrayEquals(valid, Files.readAllBytes(entry), "the entry is rewritten whole");
        }
        assertEquals(3, cache.stats().recovered());
        assertEquals(3, warnings.size());
        assertTrue(warnings.get(0).contains("corrupt") && warnings.get(0).contains(wav.toAbsolutePath().toString()), warnings.get(0));
    }

    @Test void entryOfAnotherShapeIsCorrupt() throws IOException {
        Path wav = tone(tmp, "a.wav", 0.25, 220);
        List<String> warnings = new ArrayList<>();
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), warnings::add);
        FeatureExtractor ex = new FeatureExtractor(small());
        FeatureMatrix good = cache.getOrCompute(wav, ex);
        var st = dev.ser.engine.io.SafeTensors.read(cache.entryPath(wav, small()));
        var w = new dev.ser.engine.io.SafeTensors.Writer().put("features", new int[] {1, 3}, new float[3]);
        st.metadata().forEach(w::metadata);
        w.write(cache.entryPath(wav, small()));
        assertArrayEquals(good.data(), cache.getOrCompute(wav, ex).data());
        assertTrue(warnings.get(0).contains("shape [1, 3]"), warnings.toString());
    }

    @Test void defaultDirectory() {
        Path wd = Path.of("/runs/r1");
        assertEquals(wd.resolve(".cache/features"), FeatureCache.defaultDir(wd, Map.of()));
        assertEquals(Path.of("/big/cache"), FeatureCache.defaultDir(wd, Map.of(FeatureCache.ENV, "/big/cache")));
        assertEquals(wd.resolve(".cache/features"), FeatureCache.defaultDir(wd, Map.of(FeatureCache.ENV, " ")));
    }
}
