package dev.ser.app.corpus;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which labels a run trains on: first merges ({@code --merge calm=neutral}), then a subset
 * ({@code --labels neutral,happy,sad,angry}). Utterances whose label is left out are counted in the scan
 * report, not dropped silently. Immutable; each method returns a new policy.
 *
 * @param merges label -> label it becomes (applied once, not chained)
 * @param keep   labels kept after merging; empty = all
 */
public record LabelPolicy(Map<String, String> merges, List<String> keep) {
    public LabelPolicy {
        merges = Map.copyOf(merges);
        keep = List.copyOf(keep);
    }

    public static LabelPolicy all() { return new LabelPolicy(Map.of(), List.of()); }

    /** Relabels {@code from} as {@code into} (e.g. calm as neutral). Names go through {@link Labels#canonical}. */
    public LabelPolicy merge(String from, String into) {
        Map<String, String> m = new LinkedHashMap<>(merges);
        m.put(canonical(from), canonical(into));
        return new LabelPolicy(m, keep);
    }

    /** Keeps only these labels (after merging). */
    public LabelPolicy keep(Collection<String> labels) {
        List<String> k = new ArrayList<>();
        for (String l : labels) if (!k.contains(canonical(l))) k.add(canonical(l));
        return new LabelPolicy(merges, k);
    }

    /**
     * From the command line: {@code labels} "neutral,happy,sad,angry" (null or blank = all) and {@code merge}
     * "calm=neutral,boredom=neutral" (null or blank = none).
     */
    public static LabelPolicy parse(String labels, String merge) {
        LabelPolicy p = all();
        if (merge != null && !merge.isBlank())
            for (String pair : merge.split(",")) {
                String[] kv = pair.split("=", -1);
                if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank())
                    throw new IllegalArgumentException("--merge expects FROM=INTO pairs separated by commas, e.g. calm=neutral; found '"
                            + pair.trim() + "'");
                p = p.merge(kv[0], kv[1]);
            }
        if (labels != null && !labels.isBlank()) {
            List<String> k = new ArrayList<>();
            for (String l : labels.split(",")) if (!l.isBlank()) k.add(l);
            p = p.keep(k);
        }
        return p;
    }

    private static String canonical(String name) {
        return Labels.canonical(name).orElse(name.trim());
    }

    /** The label an utterance ends up with, before the subset is applied. */
    public String map(String label) { return merges.getOrDefault(label, label); }

    /**
     * Applies merges and subset. Every utterance left out is moved from accepted to skipped in {@code report}.
     *
     * @throws IllegalArgumentException when a kept label matches no utterance: a typo must not silently
     *                                  train a model with one class fewer
     */
    public List<Utterance> apply(List<Utterance> utterances, ScanReport report) {
        Set<String> present = new TreeSet<>(Labels.ORDER);
        List<Utterance> merged = new ArrayList<>(utterances.size());
        for (Utterance u : utterances) {
            String l = map(u.label());
            present.add(l);
            merged.add(l.equals(u.label()) ? u : u.withLabel(l));
        }
        for (String k : keep)
            if (!present.contains(k))
                throw new IllegalArgumentException("--labels names '" + k + "', but no utterance has that label"
                        + (merges.isEmpty() ? "" : " after merging " + merges) + "; labels present: " + present);
        if (keep.isEmpty()) return merged;
        String reason = "label not among --labels " + String.join(",", keep);
        List<Utterance> out = new ArrayList<>();
        for (Utterance u : merged) {
            if (keep.contains(u.label())) out.add(u);
            else report.reject(u.corpus(), reason, u.id() + " (" + u.label() + ")");
        }
        return out;
    }

    /** JSON-ready form for a run's output. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("merge", new LinkedHashMap<>(merges));
        m.put("labels", keep);
        return m;
    }
}
