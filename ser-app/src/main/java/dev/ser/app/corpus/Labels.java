package dev.ser.app.corpus;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The common label set every corpus is mapped onto (see {@link LabelMapping} for the per-corpus codes), and
 * the synonyms a "one folder per label" layout may use for them.
 *
 * <p>Eight labels are RAVDESS's; boredom exists only in EmoDB. Names are the adjectives RAVDESS uses, so a
 * RAVDESS model's class names need no translation.
 */
public final class Labels {
    private Labels() {}

    public static final String NEUTRAL = "neutral";
    public static final String CALM = "calm";
    public static final String HAPPY = "happy";
    public static final String SAD = "sad";
    public static final String ANGRY = "angry";
    public static final String FEARFUL = "fearful";
    public static final String DISGUST = "disgust";
    public static final String SURPRISED = "surprised";
    public static final String BOREDOM = "boredom";

    /** In this order wherever labels are listed (class indices follow the order of the labels present). */
    public static final List<String> COMMON = List.of(NEUTRAL, CALM, HAPPY, SAD, ANGRY, FEARFUL, DISGUST, SURPRISED, BOREDOM);

    /** Folder names seen in the wild for each label: full words, nouns, and the corpora's own codes. */
    private static final Map<String, String> SYNONYMS = synonyms();

    private static Map<String, String> synonyms() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String l : COMMON) m.put(l, l);
        for (String s : List.of("neu", "normal")) m.put(s, NEUTRAL);
        for (String s : List.of("calmness")) m.put(s, CALM);
        for (String s : List.of("happiness", "hap", "joy", "happy_joy")) m.put(s, HAPPY);
        for (String s : List.of("sadness")) m.put(s, SAD);
        for (String s : List.of("anger", "ang", "angry_anger")) m.put(s, ANGRY);
        for (String s : List.of("fear", "fea", "afraid", "scared")) m.put(s, FEARFUL);
        for (String s : List.of("disgusted", "dis")) m.put(s, DISGUST);
        for (String s : List.of("surprise", "sur", "surprised_pleasant", "ps", "pleasant_surprise", "pleasant_surprised"))
            m.put(s, SURPRISED);
        for (String s : List.of("bored", "boredom")) m.put(s, BOREDOM);
        return Map.copyOf(m);
    }

    /** The common label a name stands for ("Anger", "fear", "pleasant-surprise"), or empty when it is none of them. */
    public static Optional<String> canonical(String name) {
        String key = name.trim().toLowerCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
        return Optional.ofNullable(SYNONYMS.get(key));
    }

    /** Sort position of a label: common labels in {@link #COMMON}'s order, others after them alphabetically. */
    public static int rank(String label) {
        int i = COMMON.indexOf(label);
        return i >= 0 ? i : COMMON.size();
    }

    /** Orders labels as {@link #rank} says, ties (non-common labels) alphabetically. */
    public static final java.util.Comparator<String> ORDER =
            java.util.Comparator.comparingInt(Labels::rank).thenComparing(java.util.Comparator.naturalOrder());
}
