package dev.ser.app.corpus;

import java.nio.file.Path;

/**
 * One corpus's file-naming convention. A reader sees paths relative to the corpus root and never opens a
 * file: scanning a corpus of thousands of clips costs a directory walk, no decoding.
 */
public interface CorpusReader {

    /** The name {@code --corpus} takes and the default corpus id ("ravdess", "crema-d" ...). */
    String name();

    /** The convention in words, for reports and error messages ("MM-VC-EE-II-SS-RR-AA.wav"). */
    String convention();

    /**
     * Whether the name follows this corpus's pattern at all. Auto-detection counts these; a recognized file
     * may still be skipped by {@link #parse} (a RAVDESS song, an unknown speaker code).
     */
    boolean recognizes(Path relative);

    /** What the convention says about one .wav file, or why the file does not fit. */
    Parsed parse(Path relative);

    /** The outcome of {@link #parse}. */
    sealed interface Parsed {
        /** A file that fits: the speaker is local to the corpus (the scanner adds the corpus prefix). */
        record Match(String speaker, Gender gender, String intensity, String label, String rawLabel) implements Parsed {}

        /**
         * A file that does not fit. {@code reason} is the category counted in the report (same text for all
         * files skipped for the same cause); {@code detail} is what is specific to this file, or null.
         */
        record Skip(String reason, String detail) implements Parsed {}
    }

    /** The file name without its .wav extension (any case). */
    static String stem(Path relative) {
        String n = relative.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? n : n.substring(0, dot);
    }

    /** The name of the folder holding the file, or null when it sits directly in the root. */
    static String parentName(Path relative) {
        Path p = relative.getParent();
        return p == null ? null : p.getFileName().toString();
    }
}
