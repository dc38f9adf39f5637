package dev.ser.app.corpus;

import dev.ser.app.data.Split;
import dev.ser.app.data.Splits;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The real RAVDESS copy in ../shared/datasets (16 kHz, truncated at 2.39 s); skipped where it is absent. */
class RavdessCorpusTest {
    /** The repository's sibling shared/ folder, seen from the module folder the tests run in. */
    static final Path RAVDESS = Path.of("..", "..", "shared", "datasets", "ravdess");

    @Test void scansTheWholeCopy() {
        assumeTrue(Files.isDirectory(RAVDESS), "RAVDESS copy not found at " + RAVDESS.toAbsolutePath().normalize()
                + " (../shared/datasets/ravdess from the repository root); skipping the real-corpus test");
        Corpora cs = CorpusScanner.scan(RAVDESS, ScanOptions.defaults());
        ScanReport r = cs.report();
        Corpus c = cs.corpora().get(0);
        assertEquals("ravdess", c.reader(), r.format());
        assertTrue(c.detected());
        assertEquals(1434, c.utterances().size(), r.format());
        assertEquals(24, c.speakers().size());
        assertEquals(List.of("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"), List.copyOf(c.labels()));
        // The 6 files of MISSING_FILES.txt are absent, not broken: a note, no skip, no warning.
        assertEquals(0, r.skippedCount(), r.format());
        assertEquals(List.of(), r.warnings(), r.format());
        assertTrue(r.notes().stream().anyMatch(n -> n.startsWith("6 file(s) listed")), r.format());
        assertEquals(12, c.utterances().stream().filter(u -> u.gender() == Gender.FEMALE).map(Utterance::speaker).distinct().count());

        Split s = Splits.bySpeakerFraction(c.utterances(), 2.0 / 24, 2.0 / 24, 42);
        assertEquals(2, s.testSpeakers().size());
        assertEquals(2, s.validationSpeakers().size());
        assertEquals(Set.of(Gender.FEMALE, Gender.MALE), s.test().stream().map(Utterance::gender).collect(java.util.stream.Collectors.toSet()));
        assertEquals(1434, s.train().size() + s.validation().size() + s.test().size());
    }
}
