package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * One scanned folder.
 *
 * @param id         unique within the run; the prefix of its speakers
 * @param reader     the convention it was read with ({@link CorpusReader#name()})
 * @param detected   true when the convention was auto-detected, false when {@code --corpus} named it
 * @param root       absolute
 * @param utterances in path order (deterministic across machines and runs)
 */
public record Corpus(String id, String reader, boolean detected, Path root, List<Utterance> utterances) {
    public Corpus {
        utterances = List.copyOf(utterances);
    }

    public Set<String> speakers() {
        Set<String> s = new TreeSet<>();
        for (Utterance u : utterances) s.add(u.speaker());
        return s;
    }

    public Set<String> labels() {
        Set<String> s = new TreeSet<>(Labels.ORDER);
        for (Utterance u : utterances) s.add(u.label());
        return s;
    }
}
