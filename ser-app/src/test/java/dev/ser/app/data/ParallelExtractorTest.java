package dev.ser.app.data;

import dev.ser.app.corpus.Gender;
import dev.ser.app.corpus.ScanReport;
import dev.ser.app.corpus.Utterance;
import dev.ser.audio.pipeline.FeatureExtractor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParallelExtractorTest {
    @TempDir Path tmp;

    Utterance utterance(Path file) {
        Path root = tmp.toAbsolutePath();
        return new Utterance("c", "c:1", Gender.UNKNOWN, null, "neutral", "neutral", file.toAbsolutePath(), root);
    }

    @Test void keepsOrderReportsBrokenFilesAndReusesTheCache() throws IOException {
        List<Utterance> us = new ArrayList<>();
        ScanReport report = new ScanReport();
        for (int i = 0; i < 7; i++) {
            Path f = i == 3 ? Files.write(tmp.resolve("d/broken.wav"), "fLaC not a wav".getBytes())
                    : FeatureCacheTest.tone(tmp, "d/tone" + i + ".wav", 0.1 + 0.02 * i, 200 + 50 * i);
            us.add(utterance(f));
            report.accept("c");
        }
        FeatureExtractor ex = new FeatureExtractor(FeatureCacheTest.small());
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), w -> {});
        ParallelExtractor.Result r = new ParallelExtractor(ex, cache, 3).extract(us, report);

        assertEquals(6, r.utterances().size());
        assertEquals(1, r.failures().size());
        assertEquals(ParallelExtractor.DECODE_FAILED, r.failures().get(0).reason());
        List<Utterance> expected = new ArrayList<>(us);
        expected.remove(3);
        assertEquals(expected, r.utterances());
        for (int i = 0; i < 6; i++) assertArrayEquals(ex.extract(expected.get(i).path()).data(), r.features().get(i).data());
        assertEquals(6, report.acceptedCount());
        assertEquals(1, report.skippedByReason().get(ParallelExtractor.DECODE_FAILED));
        assertTrue(report.examples(ParallelExtractor.DECODE_FAILED).get(0).startsWith("c:d/broken.wav: "), report.format());

        ParallelExtractor.Result again = new ParallelExtractor(ex, cache, 2).extract(us, null);
        assertEquals(r.utterances(), again.utterances());
        // Six computed then six read; the broken file is a miss both times, as nothing is cached for it.
        assertEquals(new FeatureCache.Stats(6, 8, 0), cache.stats());
    }

    /** Eight workers on one file and a cold cache: they race to write the same entry; nobody sees a torn one. */
    @Test void racingWritersOfOneEntryAreSafe() throws IOException {
        Path f = FeatureCacheTest.tone(tmp, "d/same.wav", 0.2, 300);
        List<Utterance> us = new ArrayList<>();
        for (int i = 0; i < 32; i++) us.add(utterance(f));
        FeatureExtractor ex = new FeatureExtractor(FeatureCacheTest.small());
        List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
        FeatureCache cache = new FeatureCache(tmp.resolve("cache"), warnings::add);
        ParallelExtractor.Result r = new ParallelExtractor(ex, cache, 8).extract(us, null);
        float[] expected = ex.extract(f).data();
        for (var m : r.features()) assertArrayEquals(expected, m.data());
        assertEquals(List.of(), warnings);
        assertEquals(32, cache.stats().hits() + cache.stats().misses());
        try (var files = Files.walk(tmp.resolve("cache"))) {
            assertEquals(1, files.filter(Files::isRegularFile).count(), "one entry, no temporary files left behind");
        }
    }
}
