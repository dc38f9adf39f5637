package dev.ser.app.corpus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The readers this build knows, in auto-detection's tie-break order (named corpora before label folders). */
public final class CorpusReaders {
    private CorpusReaders() {}

    /** The named corpora, without the label-folder fallback. */
    public static List<CorpusReader> named(ScanOptions options) {
        return List.of(new RavdessReader(options.includeSong()), new CremaDReader(), new TessReader(), new SaveeReader(),
                new EmoDbReader());
    }

    /** Every reader, label folders last. */
    public static List<CorpusReader> all(ScanOptions options) {
        List<CorpusReader> out = new ArrayList<>(named(options));
        out.add(new LabelFolderReader());
        return List.copyOf(out);
    }

    public static List<String> names() {
        return all(ScanOptions.defaults()).stream().map(CorpusReader::name).toList();
    }

    /** The reader {@code --corpus NAME} asks for (case-insensitive; "cremad" and "crema_d" are accepted too). */
    public static CorpusReader byName(String name, ScanOptions options) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace("_", "-");
        if (key.equals("cremad")) key = "crema-d";
        if (key.equals("emo-db")) key = "emodb";
        for (CorpusReader r : all(options)) if (r.name().equals(key)) return r;
        throw new IllegalArgumentException("unknown corpus '" + name + "'; expected one of " + names()
                + " (or leave --corpus out to detect it from the file names)");
    }
}
