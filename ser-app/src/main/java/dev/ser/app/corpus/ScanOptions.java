package dev.ser.app.corpus;

import java.util.List;

/**
 * How to scan corpus folders.
 *
 * @param corpus            reader names ({@code --corpus}): empty = detect each folder's convention; one name
 *                          = that convention for every folder; otherwise one name per folder, in order
 * @param includeSong       read RAVDESS's song files (vocal channel 02) too
 * @param examplesPerReason how many example files the report keeps per skip reason
 */
public record ScanOptions(List<String> corpus, boolean includeSong, int examplesPerReason) {
    public ScanOptions {
        corpus = List.copyOf(corpus);
    }

    public static ScanOptions defaults() { return new ScanOptions(List.of(), false, ScanReport.DEFAULT_EXAMPLES); }

    public ScanOptions withCorpus(String... names) { return new ScanOptions(List.of(names), includeSong, examplesPerReason); }

    public ScanOptions withSong(boolean include) { return new ScanOptions(corpus, include, examplesPerReason); }
}
