package dev.ser.app.predict;

import dev.ser.app.corpus.CorpusReader;
import dev.ser.app.corpus.CorpusReaders;
import dev.ser.app.corpus.ScanOptions;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The emotion (and speaker) a file's name declares when it follows a known corpus convention (RAVDESS
 * {@code 03-01-05-01-01-01-12.wav}: third field 05 = angry; CREMA-D, TESS, EmoDB, SAVEE's flat
 * {@code DC_a01.wav}), so a prediction table can show the truth beside the guess. Uses the corpus readers
 * of {@code dev.ser.app.corpus}, so the labels are spelled as training spells them.
 */
public final class TrueLabels {
    private TrueLabels() {}

    /** Named corpora only: a label folder ("angry/x.wav") says nothing reliable about an arbitrary file. */
    private static final List<CorpusReader> READERS = CorpusReaders.named(ScanOptions.defaults().withSong(true));

    /** The declared label, or empty when the name follows no convention. Looks at the file and its folder only. */
    public static Optional<String> of(Path file) {
        return match(file).map(m -> m.match().label());
    }

    /** The declared speaker, prefixed with the corpus as training names speakers ("ravdess:12"), or empty. */
    public static Optional<String> speaker(Path file) {
        return match(file).map(m -> m.corpus() + ":" + m.match().speaker());
    }

    private record Named(String corpus, CorpusReader.Parsed.Match match) {}

    private static Optional<Named> match(Path file) {
        Path name = file.getFileName();
        if (name == null) return Optional.empty();
        Path parent = file.getParent() == null ? null : file.getParent().getFileName();
        Path relative = parent == null ? name : parent.resolve(name);
        for (CorpusReader r : READERS) {
            // SAVEE's in-folder form ("a01.wav") is too plain to trust outside a SAVEE folder; keep its flat form.
            if (r.name().equals("savee") && !CorpusReader.stem(name).contains("_")) continue;
            if (!r.recognizes(relative)) continue;
            if (r.parse(relative) instanceof CorpusReader.Parsed.Match m) return Optional.of(new Named(r.name(), m));
        }
        return Optional.empty();
    }
}
