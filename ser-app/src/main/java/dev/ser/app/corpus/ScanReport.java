package dev.ser.app.corpus;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a scan (and later the feature extraction) did with every file: accepted per corpus, skipped with a
 * reason, ignored because it is not a .wav file. No file is dropped without landing in one of these counts.
 * Each skip reason keeps its count and the first few examples, so a report of 10,000 rejects stays readable.
 *
 * <p>Thread-safe: the parallel feature extractor adds decode failures from its worker threads.
 */
public final class ScanReport {
    /** Examples kept per skip reason unless told otherwise. */
    public static final int DEFAULT_EXAMPLES = 5;

    private final int examplesPerReason;
    private final Map<String, Integer> accepted = new LinkedHashMap<>();
    private final Map<String, Reason> skipped = new LinkedHashMap<>();
    private final Map<String, Integer> ignored = new TreeMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    private static final class Reason {
        int count;
        final List<String> examples = new ArrayList<>();
    }

    public ScanReport() { this(DEFAULT_EXAMPLES); }

    public ScanReport(int examplesPerReason) {
        if (examplesPerReason < 0) throw new IllegalArgumentException("examplesPerReason must be >= 0, found " + examplesPerReason);
        this.examplesPerReason = examplesPerReason;
    }

    public synchronized void accept(String corpus) { accepted.merge(corpus, 1, Integer::sum); }

    /** Counts a skipped file under {@code reason}; {@code example} names the file (and what about it was wrong). */
    public synchronized void skip(String reason, String example) {
        Reason r = skipped.computeIfAbsent(reason, k -> new Reason());
        r.count++;
        if (r.examples.size() < examplesPerReason) r.examples.add(example);
    }

    /** A file that is not audio for this pipeline (README, CSV, .mp3 ...), counted by extension. */
    public synchronized void ignore(String extension) { ignored.merge(extension, 1, Integer::sum); }

    /** Something the user should act on that is not tied to one file (unknown speakers, a detection guess). */
    public synchronized void warn(String message) { if (!warnings.contains(message)) warnings.add(message); }

    /** Information worth printing that needs no action (which convention was detected, known-missing files). */
    public synchronized void note(String message) { notes.add(message); }

    /** Moves an accepted file to skipped: the scan took it, a later stage (decoding, label filter) dropped it. */
    public synchronized void reject(String corpus, String reason, String example) {
        accepted.computeIfPresent(corpus, (k, v) -> v > 1 ? v - 1 : null);
        skip(reason, example);
    }

    public synchronized int acceptedCount() { return accepted.values().stream().mapToInt(Integer::intValue).sum(); }

    public synchronized Map<String, Integer> acceptedByCorpus() { return Map.copyOf(accepted); }

    public synchronized int skippedCount() { return skipped.values().stream().mapToInt(r -> r.count).sum(); }

    /** Skip counts by reason, in the order the reasons first appeared. */
    public synchronized Map<String, Integer> skippedByReason() {
        Map<String, Integer> out = new LinkedHashMap<>();
        skipped.forEach((k, r) -> out.put(k, r.count));
        return out;
    }

    public synchronized List<String> examples(String reason) {
        Reason r = skipped.get(reason);
        return r == null ? List.of() : List.copyOf(r.examples);
    }

    public synchronized Map<String, Integer> ignoredByExtension() { return Map.copyOf(ignored); }

    public synchronized List<String> warnings() { return List.copyOf(warnings); }

    public synchronized List<String> notes() { return List.copyOf(notes); }

    /** The report as text for the console: totals first, then each skip reason with its examples. */
    public synchronized String format() {
        StringBuilder sb = new StringBuilder();
        sb.append("accepted ").append(acceptedCount()).append(" file(s)");
        if (!accepted.isEmpty()) sb.append(' ').append(accepted);
        sb.append("; skipped ").append(skippedCount());
        int nIgnored = ignored.values().stream().mapToInt(Integer::intValue).sum();
        if (nIgnored > 0) sb.append("; ignored ").append(nIgnored).append(" non-.wav file(s) ").append(ignored);
        sb.append('\n');
        skipped.forEach((reason, r) -> {
            sb.append("  skipped ").append(r.count).append(": ").append(reason).append('\n');
            for (String e : r.examples) sb.append("      ").append(e).append('\n');
            if (r.count > r.examples.size()) sb.append("      ... and ").append(r.count - r.examples.size()).append(" more\n");
        });
        for (String w : warnings) sb.append("  warning: ").append(w).append('\n');
        for (String n : notes) sb.append("  note: ").append(n).append('\n');
        return sb.toString();
    }

    /** JSON-ready form, for a run's output folder. */
    public synchronized Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> acc = new LinkedHashMap<>();
        accepted.forEach((k, v) -> acc.put(k, (long) v));
        m.put("accepted", acc);
        Map<String, Object> s = new LinkedHashMap<>();
        skipped.forEach((k, r) -> {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("count", (long) r.count);
            one.put("examples", List.copyOf(r.examples));
            s.put(k, one);
        });
        m.put("skipped", s);
        Map<String, Object> ign = new LinkedHashMap<>();
        ignored.forEach((k, v) -> ign.put(k, (long) v));
        m.put("ignored", ign);
        m.put("warnings", List.copyOf(warnings));
        m.put("notes", List.copyOf(notes));
        return m;
    }

    @Override public String toString() { return format(); }
}
