package dev.ser.app.corpus;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Walks corpus folders and turns file names into {@link Utterance}s, detecting each folder's convention
 * unless told. Only names are read; decoding happens later (and its failures are added to the same report).
 *
 * <p>Detection: every named reader counts the .wav files whose names follow its pattern; the one with most
 * wins (ties go to the earlier reader in {@link CorpusReaders#all}). When no named convention matches a
 * single file, the folder is read as one folder per label. Files that the winner does not accept are
 * skipped with the reader's reason, never dropped silently.
 *
 * <p>Hidden files and folders (".cache", ".DS_Store") are not walked. A {@code MISSING_FILES.txt} in the root
 * is taken as the list of files known to be absent (our RAVDESS copy has one) and noted, not reported as an
 * error.
 */
public final class CorpusScanner {
    private CorpusScanner() {}

    /** The name of a file that lists the corpus's known-absent files; noted in the report, not an error. */
    public static final String MISSING_FILES = "MISSING_FILES.txt";

    public static Corpora scan(Path root, ScanOptions options) {
        return scan(List.of(root), options);
    }

    /** Scans several corpus folders into one set; speakers are prefixed with their corpus's id. */
    public static Corpora scan(List<Path> roots, ScanOptions options) {
        if (roots.isEmpty()) throw new IllegalArgumentException("no corpus folders given; pass at least one folder of .wav files");
        List<String> names = options.corpus();
        if (names.size() > 1 && names.size() != roots.size())
            throw new IllegalArgumentException("--corpus names " + names.size() + " conventions " + names + " for " + roots.size()
                    + " folders: give one name for all folders or one per folder, in the same order");
        ScanReport report = new ScanReport(options.examplesPerReason());
        List<Corpus> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < roots.size(); i++) {
            String name = names.isEmpty() ? null : names.size() == 1 ? names.get(0) : names.get(i);
            out.add(scanOne(roots.get(i), name, options, report, ids));
        }
        return new Corpora(out, report);
    }

    private static Corpus scanOne(Path root, String readerName, ScanOptions options, ScanReport report, Set<String> ids) {
        Path abs = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs))
            throw new IllegalArgumentException("corpus folder " + abs + " does not exist or is not a folder; expected a folder of .wav files");
        List<Path> wavs = listWavs(abs, report);
        if (wavs.isEmpty())
            throw new IllegalArgumentException("no .wav files under " + abs + " (hidden folders are not searched); "
                    + "convert other formats first, e.g. `sox in.flac out.wav`");
        boolean detected = readerName == null;
        CorpusReader reader = detected ? detect(abs, wavs, options, report) : CorpusReaders.byName(readerName, options);
        boolean ownData = reader instanceof LabelFolderReader;
        String id = uniqueId(ownData ? folderId(abs) : reader.name(), ids);
        // Two folders of one named corpus (a 16 kHz and a 48 kHz copy, or its parts) hold the same people:
        // their speakers share the corpus's name as prefix, so a split keeps each person on one side. Folders
        // of own data are unrelated to each other, so their speakers take the folder's unique id.
        String speakerPrefix = ownData ? id : reader.name();

        List<Utterance> utterances = new ArrayList<>();
        boolean unknownSpeaker = false;
        for (Path rel : wavs) {
            String shown = id + ":" + rel.toString().replace(java.io.File.separatorChar, '/');
            switch (reader.parse(rel)) {
                case CorpusReader.Parsed.Skip s -> report.skip(s.reason(), s.detail() == null ? shown : shown + " (" + s.detail() + ")");
                case CorpusReader.Parsed.Match m -> {
                    unknownSpeaker |= reader instanceof LabelFolderReader && m.speaker().equals(LabelFolderReader.UNKNOWN_SPEAKER);
                    utterances.add(new Utterance(id, speakerPrefix + ":" + m.speaker(), m.gender(), m.intensity(), m.label(), m.rawLabel(),
                            abs.resolve(rel), abs));
                    report.accept(id);
                }
            }
        }
        if (unknownSpeaker) report.warn(id + ": " + LabelFolderReader.UNKNOWN_SPEAKER_WARNING);
        if (utterances.isEmpty())
            report.warn(id + " (" + abs + "): none of " + wavs.size() + " .wav files was accepted as " + reader.name()
                    + " (" + reader.convention() + "); see the skip reasons, or name the convention with --corpus");
        return new Corpus(id, reader.name(), detected, abs, utterances);
    }

    /** The .wav files under root (any case of extension), relative, sorted; everything else is counted as ignored. */
    private static List<Path> listWavs(Path root, ScanReport report) {
        List<Path> wavs = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root, FileVisitOption.FOLLOW_LINKS)) {
            walk.filter(p -> !p.equals(root) && !hidden(root.relativize(p)) && Files.isRegularFile(p)).forEach(p -> {
                Path rel = root.relativize(p);
                String name = rel.getFileName().toString();
                if (name.toLowerCase(Locale.ROOT).endsWith(".wav")) wavs.add(rel);
                else if (rel.getNameCount() == 1 && name.equals(MISSING_FILES)) noteMissing(p, report);
                else report.ignore(extension(name));
            });
        } catch (IOException | UncheckedIOException e) {
            throw new IllegalArgumentException("could not list " + root + ": " + e.getMessage()
                    + "; check the folder's permissions (and for symbolic-link loops)", e);
        }
        wavs.sort((a, b) -> a.toString().compareTo(b.toString()));
        return wavs;
    }

    private static boolean hidden(Path rel) {
        for (Path part : rel) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private static String extension(String name) {
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "(none)" : name.substring(dot).toLowerCase(Locale.ROOT);
    }

    private static void noteMissing(Path list, ScanReport report) {
        try (Stream<String> lines = Files.lines(list)) {
            long n = lines.map(String::trim).filter(l -> l.toLowerCase(Locale.ROOT).endsWith(".wav")).count();
            report.note(n + " file(s) listed in " + list + " are known to be absent from this copy; not counted as skipped");
        } catch (IOException | UncheckedIOException e) {
            report.warn("could not read " + list + ": " + e.getMessage());
        }
    }

    /** The named reader whose pattern most files follow; label folders when none matches any. */
    static CorpusReader detect(Path root, List<Path> wavs, ScanOptions options, ScanReport report) {
        Map<CorpusReader, Integer> counts = new LinkedHashMap<>();
        for (CorpusReader r : CorpusReaders.all(options)) {
            int n = 0;
            for (Path rel : wavs) if (r.recognizes(rel)) n++;
            counts.put(r, n);
        }
        CorpusReader best = null;
        int bestCount = 0;
        for (var e : counts.entrySet())
            if (e.getValue() > bestCount) {
                best = e.getKey();
                bestCount = e.getValue();
            }
        if (best == null) {
            boolean inFolders = wavs.stream().anyMatch(p -> p.getNameCount() > 1);
            if (!inFolders)
                throw new IllegalArgumentException("no known naming convention matches the .wav files in " + root
                        + " (e.g. " + wavs.get(0) + "), and they are not in label folders; expected one of: "
                        + conventions(options) + "; name the corpus with --corpus, or sort the files into one folder per label");
            report.warn(root + ": no known corpus naming convention matched; reading it as one folder per label "
                    + "(label = the folder's name); pass --corpus to choose another convention");
            return new LabelFolderReader();
        }
        report.note("detected " + best.name() + " in " + root + ": " + bestCount + " of " + wavs.size()
                + " .wav file(s) follow " + best.convention() + otherMatches(counts, best));
        return best;
    }

    private static String otherMatches(Map<CorpusReader, Integer> counts, CorpusReader best) {
        StringBuilder sb = new StringBuilder();
        counts.forEach((r, n) -> {
            if (r != best && n > 0) sb.append(sb.isEmpty() ? " (also matching: " : ", ").append(r.name()).append(' ').append(n);
        });
        return sb.isEmpty() ? "" : sb.append("; pass --corpus to choose)").toString();
    }

    private static String conventions(ScanOptions options) {
        StringBuilder sb = new StringBuilder();
        for (CorpusReader r : CorpusReaders.all(options))
            sb.append(sb.isEmpty() ? "" : "; ").append(r.name()).append(' ').append(r.convention());
        return sb.toString();
    }

    /** A label-folder corpus is named after its folder ("my_data"), so two of them stay apart in one run. */
    private static String folderId(Path root) {
        Path name = root.getFileName();
        String s = name == null ? "data" : name.toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.-]+", "-");
        return s.isEmpty() ? "data" : s;
    }

    private static String uniqueId(String base, Set<String> taken) {
        String id = base;
        for (int k = 2; !taken.add(id); k++) id = base + "-" + k;
        return id;
    }
}
