package dev.ser.app.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The corpora of one run and the report of their scan. Utterances come corpus by corpus, each in path order. */
public record Corpora(List<Corpus> corpora, ScanReport report) {
    public Corpora {
        corpora = List.copyOf(corpora);
    }

    public List<Utterance> utterances() {
        List<Utterance> out = new ArrayList<>();
        for (Corpus c : corpora) out.addAll(c.utterances());
        return out;
    }

    public Set<String> speakers() {
        Set<String> s = new TreeSet<>();
        for (Corpus c : corpora) s.addAll(c.speakers());
        return s;
    }

    public Set<String> labels() {
        Set<String> s = new TreeSet<>(Labels.ORDER);
        for (Corpus c : corpora) s.addAll(c.labels());
        return s;
    }
}
