package dev.ser.app.corpus;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Scanning reads names only, so empty files stand in for audio here. */
class CorpusScannerTest {
    @TempDir Path tmp;

    static Path touch(Path root, String... rels) throws IOException {
        for (String rel : rels) {
            Path p = root.resolve(rel);
            Files.createDirectories(p.getParent());
            Files.write(p, new byte[0]);
        }
        return root;
    }

    @Test void detectsEachCorpusFromItsNames() throws IOException {
        record Case(String corpus, String[] files) {}
        List<Case> cases = List.of(
                new Case("ravdess", new String[] {"Actor_01/03-01-01-01-01-01-01.wav", "Actor_02/03-01-05-02-01-01-02.wav"}),
                new Case("crema-d", new String[] {"AudioWAV/1001_DFA_ANG_XX.wav", "AudioWAV/1002_IEO_SAD_LO.wav"}),
                new Case("tess", new String[] {"OAF_angry/OAF_back_angry.wav", "YAF_pleasant_surprised/YAF_bar_ps.wav"}),
                new Case("savee", new String[] {"AudioData/DC/a01.wav", "AudioData/KL/su02.wav", "JE_n03.wav"}),
                new Case("emodb", new String[] {"wav/03a01Fa.wav", "wav/16b10Lb.wav"}));
        for (Case c : cases) {
            Path root = touch(tmp.resolve(c.corpus), c.files);
            Corpora cs = CorpusScanner.scan(root, ScanOptions.defaults());
            Corpus corpus = cs.corpora().get(0);
            assertEquals(c.corpus, corpus.reader(), cs.report().format());
            assertTrue(corpus.detected());
            assertEquals(c.files.length, corpus.utterances().size(), cs.report().format());
            assertEquals(0, cs.report().skippedCount(), cs.report().format());
        }
    }

    @Test void majorityWinsAndTheRestIsSkippedWithAReason() throws IOException {
        Path root = touch(tmp.resolve("mixed"), "Actor_01/03-01-01-01-01-01-01.wav", "Actor_01/03-01-02-01-01-01-01.wav",
                "Actor_01/03-02-02-01-01-01-01.wav", "Actor_01/notes.wav", "extra/1001_DFA_ANG_XX.wav", "README.md",
                "Actor_01/cover.jpg", ".hidden/03-01-01-01-01-01-05.wav");
        Corpora cs = CorpusScanner.scan(root, ScanOptions.defaults());
        ScanReport r = cs.report();
        assertEquals("ravdess", cs.corpora().get(0).reader());
        assertEquals(2, r.acceptedCount());
        assertEquals(3, r.skippedCount(), r.format());
        assertEquals(1, r.skippedByReason().get("RAVDESS song (vocal channel 02): skipped unless songs are asked for"));
        assertEquals(2, r.skippedByReason().get("name does not follow RAVDESS's MM-VC-EE-II-SS-RR-AA.wav"));
        assertEquals(List.of("ravdess:Actor_01/notes.wav", "ravdess:extra/1001_DFA_ANG_XX.wav"),
                r.examples("name does not follow RAVDESS's MM-VC-EE-II-SS-RR-AA.wav"));
        assertEquals(1, r.ignoredByExtension().get(".md"));
        assertEquals(1, r.ignoredByExtension().get(".jpg"));
        assertTrue(r.notes().get(0).contains("also matching: crema-d 1"), r.notes().toString());
        assertTrue(r.format().contains("skipped 1: RAVDESS song"), r.format());
        var json = dev.ser.engine.io.Json.parseObject(dev.ser.engine.io.Json.write(r.toMap()));
        assertEquals(java.util.Map.of("ravdess", 2L), json.get("accepted"));
        assertEquals(1L, ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) json.get("skipped"))
                .get("RAVDESS song (vocal channel 02): skipped unless songs are asked for")).get("count"));
    }

    @Test void corpusOverrideBeatsDetection() throws IOException {
        Path root = touch(tmp.resolve("o"), "angry/03-01-01-01-01-01-01.wav", "sad/03-01-04-01-01-01-02.wav");
        assertEquals("ravdess", CorpusScanner.scan(root, ScanOptions.defaults()).corpora().get(0).reader());
        Corpora forced = CorpusScanner.scan(root, ScanOptions.defaults().withCorpus("folders"));
        Corpus c = forced.corpora().get(0);
        assertEquals("folders", c.reader());
        assertFalse(c.detected());
        assertEquals(Set.of(Labels.ANGRY, Labels.SAD), c.labels());
    }

    @Test void labelFoldersWithoutSpeakersWarn() throws IOException {
        Path root = touch(tmp.resolve("My Data"), "Happy/a.wav", "Happy/b.wav", "frustrated/c.wav", "loose.wav");
        Corpora cs = CorpusScanner.scan(root, ScanOptions.defaults());
        Corpus c = cs.corpora().get(0);
        assertEquals("folders", c.reader());
        assertEquals("my-data", c.id());
        assertEquals(Set.of("my-data:unknown"), c.speakers());
        assertEquals(Set.of(Labels.HAPPY, "frustrated"), c.labels());
        assertEquals(1, cs.report().skippedByReason().get("file directly in the corpus root, not in a label folder"));
        assertTrue(cs.report().warnings().stream().anyMatch(w -> w.contains("speaker-independent splits need speaker info")),
                cs.report().format());
    }

    @Test void unknownFolderNamesFallBackToLabelFolders() throws IOException {
        Path root = touch(tmp.resolve("own"), "s1/excited/a.wav", "s2/frustrated/b.wav", "s2/excited/c.wav");
        Corpora cs = CorpusScanner.scan(root, ScanOptions.defaults());
        assertEquals(Set.of("own:s1", "own:s2"), cs.speakers());
        assertEquals(Set.of("excited", "frustrated"), cs.labels());
        assertTrue(cs.report().warnings().get(0).contains("one folder per label"));
    }

    @Test void severalCorporaKeepSpeakersApart() throws IOException {
        Path a = touch(tmp.resolve("a"), "Actor_01/03-01-01-01-01-01-01.wav");
        Path b = touch(tmp.resolve("b"), "Actor_01/03-01-03-01-01-01-01.wav");
        Path c = touch(tmp.resolve("c"), "1001_DFA_ANG_XX.wav");
        Path d = touch(tmp.resolve("d"), "03a01Wa.wav");
        Corpora cs = CorpusScanner.scan(List.of(a, b, c, d), ScanOptions.defaults());
        assertEquals(List.of("ravdess", "ravdess-2", "crema-d", "emodb"), cs.corpora().stream().map(Corpus::id).toList());
        // Two RAVDESS folders hold the same actors: one speaker, so no split can put actor 01 on both sides.
        assertEquals(Set.of("ravdess:01", "crema-d:1001", "emodb:03"), cs.speakers());
        assertEquals(4, cs.utterances().size());
        assertEquals("ravdess-2:Actor_01/03-01-03-01-01-01-01.wav", cs.utterances().get(1).id());
        assertEquals("Actor_01/03-01-03-01-01-01-01.wav", cs.utterances().get(1).relativePath());
        assertEquals(b.toAbsolutePath().normalize(), cs.utterances().get(1).root());
    }

    @Test void oneCorpusNamePerFolderOrOneForAll() throws IOException {
        Path a = touch(tmp.resolve("a"), "angry/x.wav");
        Path b = touch(tmp.resolve("b"), "sad/y.wav");
        Corpora own = CorpusScanner.scan(List.of(a, b), ScanOptions.defaults().withCorpus("folders"));
        assertEquals(2, own.utterances().size());
        assertEquals(Set.of("a:unknown", "b:unknown"), own.speakers(), "unrelated own data sets keep their speakers apart");
        var e = assertThrows(IllegalArgumentException.class,
                () -> CorpusScanner.scan(List.of(a, b), ScanOptions.defaults().withCorpus("folders", "ravdess", "tess")));
        assertTrue(e.getMessage().contains("one per folder"), e.getMessage());
    }

    @Test void helpfulErrorsForEmptyOrUnrecognizableFolders() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        touch(empty, "notes.txt");
        var e1 = assertThrows(IllegalArgumentException.class, () -> CorpusScanner.scan(empty, ScanOptions.defaults()));
        assertTrue(e1.getMessage().contains("no .wav files"), e1.getMessage());
        Path flat = touch(tmp.resolve("flat"), "clip1.wav", "clip2.wav");
        var e2 = assertThrows(IllegalArgumentException.class, () -> CorpusScanner.scan(flat, ScanOptions.defaults()));
        assertTrue(e2.getMessage().contains("--corpus"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> CorpusScanner.scan(tmp.resolve("nope"), ScanOptions.defaults()));
        assertTrue(e3.getMessage().contains("does not exist"), e3.getMessage());
    }

    @Test void missingFilesListIsANoteNotASkip() throws IOException {
        Path root = touch(tmp.resolve("r"), "Actor_01/03-01-01-01-01-01-01.wav");
        Files.writeString(root.resolve(CorpusScanner.MISSING_FILES), "Actor_01/03-01-02-01-01-02-01.wav\n");
        Corpora cs = CorpusScanner.scan(root, ScanOptions.defaults());
        assertEquals(0, cs.report().skippedCount());
        assertTrue(cs.report().ignoredByExtension().isEmpty());
        assertTrue(cs.report().notes().stream().anyMatch(n -> n.startsWith("1 file(s) listed")), cs.report().format());
    }
}
