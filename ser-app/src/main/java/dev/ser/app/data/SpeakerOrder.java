package dev.ser.app.data;

import dev.ser.app.corpus.Gender;
import dev.ser.app.corpus.Utterance;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A seeded order of speakers in which every prefix is balanced by gender as far as the counts allow: speakers
 * are shuffled within their gender, then the genders are interleaved in proportion to their sizes. Taking
 * the first n speakers (a hold-out) or every k-th one (a fold) then gives each gender its share.
 */
final class SpeakerOrder {
    private SpeakerOrder() {}

    /**
     * Speaker -> gender; a speaker whose utterances disagree (mislabelled data) counts as unknown. Sorted by
     * speaker id, so the order does not depend on the utterance order.
     */
    static Map<String, Gender> genders(List<Utterance> utterances) {
        Map<String, Gender> g = new TreeMap<>();
        for (Utterance u : utterances) g.merge(u.speaker(), u.gender(), (a, b) -> a == b ? a : Gender.UNKNOWN);
        return g;
    }

    static List<String> balanced(Map<String, Gender> speakers, SplittableRandom rng) {
        Map<Gender, List<String>> groups = new EnumMap<>(Gender.class);
        for (var e : speakers.entrySet()) groups.computeIfAbsent(e.getValue(), k -> new ArrayList<>()).add(e.getKey());
        for (List<String> g : groups.values()) shuffle(g, rng); // iterated in enum order, each group sorted: deterministic
        Map<Gender, Integer> taken = new EnumMap<>(Gender.class);
        List<String> out = new ArrayList<>(speakers.size());
        while (out.size() < speakers.size()) {
            // The group furthest behind its share goes next: (taken + 0.5) / size is the Sainte-Lague quotient.
            Gender next = null;
            double best = Double.POSITIVE_INFINITY;
            for (var e : groups.entrySet()) {
                int t = taken.getOrDefault(e.getKey(), 0);
                if (t == e.getValue().size()) continue;
                double q = (t + 0.5) / e.getValue().size();
                if (q < best) {
                    best = q;
                    next = e.getKey();
                }
            }
            int t = taken.getOrDefault(next, 0);
            out.add(groups.get(next).get(t));
            taken.put(next, t + 1);
        }
        return out;
    }

    /** Fisher-Yates with the given generator. */
    static <T> void shuffle(List<T> list, SplittableRandom rng) {
        for (int i = list.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            T tmp = list.get(i);
            list.set(i, list.get(j));
            list.set(j, tmp);
        }
    }
}
