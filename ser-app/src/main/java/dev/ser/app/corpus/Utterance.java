package dev.ser.app.corpus;

import java.nio.file.Path;

/**
 * One labelled recording and what its corpus's convention says about it.
 *
 * @param corpus    the corpus id within this run ("ravdess", "tess", the folder name of a label-folder corpus
 *                  ...; made unique when two roots would share one)
 * @param speaker   the speaker, prefixed with the corpus's name ("ravdess:01") so speakers of different corpora
 *                  never collide in a speaker-independent split; two folders of the same named corpus share
 *                  the prefix (same people), label-folder corpora use their unique corpus id
 * @param gender    as the convention gives it, else {@link Gender#UNKNOWN}
 * @param intensity the corpus's intensity word ("normal"/"strong" in RAVDESS, "low"/"medium"/"high"/
 *                  "unspecified" in CREMA-D), or null where the corpus has none
 * @param label     the common label ({@link Labels}), or the folder's own name for an unknown label
 * @param rawLabel  the code as the file or folder spells it ("05", "ANG", "ps", "W", "Anger")
 * @param path      the file, absolute
 * @param root      the corpus root it was found under, absolute: split files store paths relative to it
 */
public record Utterance(String corpus, String speaker, Gender gender, String intensity, String label, String rawLabel,
                        Path path, Path root) {

    public Utterance {
        if (!path.isAbsolute() || !root.isAbsolute())
            throw new IllegalArgumentException("utterance paths must be absolute; found path " + path + ", root " + root);
        if (!path.startsWith(root))
            throw new IllegalArgumentException(path + " is not under its corpus root " + root);
    }

    /** The path relative to the corpus root, with '/' separators on every platform. */
    public String relativePath() {
        return root.relativize(path).toString().replace(java.io.File.separatorChar, '/');
    }

    /** "corpus:relative/path": how reports and split files name the file. */
    public String id() { return corpus + ":" + relativePath(); }

    /** The same utterance under another label (raw label kept), as {@link LabelPolicy} merges labels. */
    public Utterance withLabel(String newLabel) {
        return new Utterance(corpus, speaker, gender, intensity, newLabel, rawLabel, path, root);
    }
}
