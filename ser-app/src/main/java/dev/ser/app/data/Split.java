package dev.ser.app.data;

import dev.ser.app.corpus.Labels;
import dev.ser.app.corpus.Utterance;
import dev.ser.engine.io.Json;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Train, validation and test utterances and how they were chosen ({@link Splits} makes them).
 *
 * <p>Validation is its own part so that checkpoint selection, early stopping and any tuning look only at it;
 * the test part is for the final number and nothing else. A speaker-independent split is checked on
 * construction: a speaker in two parts throws, whatever made the split.
 *
 * @param method             "speaker-holdout", "speaker-fraction", "speaker-kfold" or "stratified"
 * @param params             what reproduces it (seed, fractions, k and fold ...), JSON-ready values
 * @param speakerIndependent whether no speaker may appear in two parts (false only for stratified splits)
 */
public record Split(String method, Map<String, Object> params, boolean speakerIndependent, List<Utterance> train,
                    List<Utterance> validation, List<Utterance> test) {

    /** Written into stratified splits' JSON and printed by the app beside their numbers. */
    public static final String OVERLAP_WARNING = "speakers overlap between train, validation and test: the model is tested "
            + "on voices it trained on, which inflates accuracy compared with a speaker-independent split";

    public Split {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
        train = List.copyOf(train);
        validation = List.copyOf(validation);
        test = List.copyOf(test);
        checkDisjointFiles(train, validation, test);
        if (speakerIndependent) checkSpeakerIndependent(train, validation, test);
    }

    private static void checkDisjointFiles(List<Utterance> train, List<Utterance> val, List<Utterance> test) {
        Map<String, String> part = new HashMap<>();
        for (var e : Map.of("train", train, "validation", val, "test", test).entrySet())
            for (Utterance u : e.getValue()) {
                String before = part.putIfAbsent(u.id(), e.getKey());
                if (before != null)
                    throw new IllegalStateException(u.id() + " is in both " + before + " and " + e.getKey()
                            + ": each file must be in exactly one part of a split");
            }
    }

    /** Fails loudly, naming the speakers, when a speaker is in more than one part. */
    public static void checkSpeakerIndependent(List<Utterance> train, List<Utterance> val, List<Utterance> test) {
        Set<String> tr = speakersOf(train), va = speakersOf(val), te = speakersOf(test);
        List<String> problems = new ArrayList<>();
        overlap("train", tr, "validation", va, problems);
        overlap("train", tr, "test", te, problems);
        overlap("validation", va, "test", te, problems);
        if (!problems.isEmpty())
            throw new IllegalStateException("a speaker-independent split has speakers in two parts: " + String.join("; ", problems)
                    + ". Every utterance of a speaker must be in one part; check the speaker ids (is one speaker split "
                    + "across folders?) or use a stratified split knowingly");
    }

    private static void overlap(String a, Set<String> sa, String b, Set<String> sb, List<String> out) {
        Set<String> both = new TreeSet<>(sa);
        both.retainAll(sb);
        if (!both.isEmpty()) out.add(a + " and " + b + " share " + both);
    }

    static Set<String> speakersOf(List<Utterance> part) {
        Set<String> s = new TreeSet<>();
        for (Utterance u : part) s.add(u.speaker());
        return s;
    }

    /**
     * The same split with the validation part moved into training, for a refit: once a run with validation has
     * chosen the number of epochs, a second run trains that many on every non-test speaker. The params record
     * which speakers were validation, so the JSON still says how the split was made.
     */
    public Split withValidationInTraining() {
        if (validation.isEmpty()) throw new IllegalArgumentException("the split has no validation speakers to move into training; name them (--val-speakers) "
                + "or give a --val-fraction above 0");
        Map<String, Object> p = new LinkedHashMap<>(params);
        p.put("refit_validation_speakers", List.copyOf(validationSpeakers()));
        List<Utterance> all = new ArrayList<>(train);
        all.addAll(validation);
        return new Split(method, p, speakerIndependent, all, List.of(), test);
    }

    public Set<String> trainSpeakers() { return speakersOf(train); }

    public Set<String> validationSpeakers() { return speakersOf(validation); }

    public Set<String> testSpeakers() { return speakersOf(test); }

    /** Utterances per label, in {@link Labels#ORDER}. */
    public static Map<String, Integer> labelCounts(List<Utterance> part) {
        Map<String, Integer> m = new TreeMap<>(Labels.ORDER);
        for (Utterance u : part) m.merge(u.label(), 1, Integer::sum);
        return m;
    }

    /**
     * JSON-ready form: the method and its parameters, the corpus roots, and per part its speakers, label
     * counts and files (corpus id + path relative to that corpus's root, so the file moves with the data).
     */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", method);
        m.put("params", params);
        m.put("speaker_independent", speakerIndependent);
        if (!speakerIndependent) m.put("warning", OVERLAP_WARNING);
        Map<String, Object> roots = new TreeMap<>();
        for (List<Utterance> part : List.of(train, validation, test))
            for (Utterance u : part) roots.putIfAbsent(u.corpus(), u.root().toString());
        m.put("roots", roots);
        m.put("train", part(train));
        m.put("validation", part(validation));
        m.put("test", part(test));
        return m;
    }

    private static Map<String, Object> part(List<Utterance> us) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", (long) us.size());
        m.put("speakers", List.copyOf(speakersOf(us)));
        Map<String, Object> counts = new LinkedHashMap<>();
        labelCounts(us).forEach((k, v) -> counts.put(k, (long) v));
        m.put("label_counts", counts);
        List<Object> files = new ArrayList<>();
        for (Utterance u : us) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("corpus", u.corpus());
            f.put("path", u.relativePath());
            f.put("speaker", u.speaker());
            f.put("label", u.label());
            files.add(f);
        }
        m.put("files", files);
        return m;
    }

    public String toJson() { return Json.writePretty(toMap()); }

    /**
     * Reads {@link #toJson()}'s form back against freshly scanned utterances (matched by corpus id and
     * relative path), e.g. to evaluate on the exact test part a model was selected without.
     *
     * @throws IllegalArgumentException naming the first file the scan did not find
     */
    @SuppressWarnings("unchecked")
    public static Split fromJson(String json, List<Utterance> available) {
        Map<String, Object> m = Json.parseObject(json);
        Map<String, Utterance> byId = new HashMap<>();
        for (Utterance u : available) byId.put(u.id(), u);
        List<List<Utterance>> parts = new ArrayList<>();
        for (String name : List.of("train", "validation", "test")) {
            if (!(m.get(name) instanceof Map<?, ?> part) || !(part.get("files") instanceof List<?> files))
                throw new IllegalArgumentException("split JSON: expected an object '" + name + "' with a 'files' list; "
                        + "was it written by Split.toJson?");
            List<Utterance> us = new ArrayList<>();
            for (Object o : files) {
                Map<String, Object> f = (Map<String, Object>) o;
                String id = f.get("corpus") + ":" + f.get("path");
                Utterance u = byId.get(id);
                if (u == null)
                    throw new IllegalArgumentException("split JSON lists " + id + " in " + name + ", but the scanned corpora "
                            + "have no such file: scan the same folders (same --corpus, labels and merges) as the run that wrote it");
                if (f.get("label") instanceof String l && !l.equals(u.label()))
                    throw new IllegalArgumentException("split JSON labels " + id + " '" + l + "', the scan '" + u.label()
                            + "': apply the same --labels and --merge as the run that wrote the split");
                us.add(u);
            }
            parts.add(us);
        }
        Object params = m.get("params");
        return new Split(String.valueOf(m.get("method")), params instanceof Map<?, ?> p ? (Map<String, Object>) p : Map.of(),
                Boolean.TRUE.equals(m.get("speaker_independent")), parts.get(0), parts.get(1), parts.get(2));
    }
}
