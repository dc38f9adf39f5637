package dev.ser.app.data;

import dev.ser.app.corpus.Gender;
import dev.ser.app.corpus.Labels;
import dev.ser.app.corpus.Utterance;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Ways to split utterances into train, validation and test. Speaker-independent by default: an emotion
 * model tested on voices it trained on learns the speakers as much as the emotions, and its accuracy does
 * not carry over to new voices.
 *
 * <p>Every method is a pure function of its arguments: the same utterances (in any order) and seed give the
 * same split on any machine. Speakers are sorted before a {@link SplittableRandom} shuffles them; parts keep
 * the utterances' input order.
 */
public final class Splits {
    private Splits() {}

    /** Explicit hold-out: these speakers are the test part, those the validation part, all others train. */
    public static Split holdout(List<Utterance> utterances, Collection<String> testSpeakers, Collection<String> valSpeakers) {
        Set<String> known = SpeakerOrder.genders(utterances).keySet();
        Set<String> test = resolve(testSpeakers, known), val = resolve(valSpeakers, known);
        Set<String> both = new TreeSet<>(test);
        both.retainAll(val);
        if (!both.isEmpty())
            throw new IllegalArgumentException("speakers " + both + " are named for both test and validation; each speaker goes in one part");
        if (test.isEmpty()) throw new IllegalArgumentException("no test speakers given; name at least one");
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("test_speakers", List.copyOf(test));
        params.put("validation_speakers", List.copyOf(val));
        return bySpeakerSets("speaker-holdout", params, utterances, test, val);
    }

    /**
     * The known speakers these names mean: a name as the corpus spells it, or with its number written otherwise
     * ({@code ravdess:3} for {@code ravdess:03}); a name that means none is an error that lists the known ones.
     */
    private static Set<String> resolve(Collection<String> names, Set<String> known) {
        Set<String> out = new TreeSet<>();
        for (String name : names) {
            String match = known.contains(name) ? name : known.stream().filter(k -> sameNumber(k, name)).findFirst().orElse(null);
            if (match == null)
                throw new IllegalArgumentException("speaker '" + name + "' has no utterances; speakers are prefixed with their corpus "
                        + "(e.g. ravdess:01); known speakers: " + preview(known));
            out.add(match);
        }
        return out;
    }

    /** "ravdess:03" and "ravdess:3": the same corpus and the same number. */
    private static boolean sameNumber(String a, String b) {
        int i = a.lastIndexOf(':'), j = b.lastIndexOf(':');
        if (i < 0 || j < 0 || !a.substring(0, i).equals(b.substring(0, j))) return false;
        String x = a.substring(i + 1), y = b.substring(j + 1);
        return !x.isEmpty() && !y.isEmpty() && x.chars().allMatch(Character::isDigit) && y.chars().allMatch(Character::isDigit)
                && x.replaceFirst("^0+(?=.)", "").equals(y.replaceFirst("^0+(?=.)", ""));
    }

    /**
     * Holds out about {@code testFraction} of the speakers for test and {@code valFraction} for validation
     * (at least one each when the fraction is positive), chosen at random under {@code seed} and balanced by
     * gender where it is known.
     */
    public static Split bySpeakerFraction(List<Utterance> utterances, double testFraction, double valFraction, long seed) {
        checkFractions(testFraction, valFraction);
        Map<String, Gender> genders = SpeakerOrder.genders(utterances);
        int n = genders.size();
        int nTest = count(testFraction, n), nVal = count(valFraction, n);
        if (nTest + nVal >= n)
            throw new IllegalArgumentException(n + " speaker(s) cannot give " + nTest + " test and " + nVal + " validation speaker(s) "
                    + "and still leave one for training" + (n <= 1 ? " (no speaker information? see the scan report's warnings)" : "")
                    + ": lower the fractions, add data, or use a stratified split");
        List<String> order = SpeakerOrder.balanced(genders, new SplittableRandom(seed));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("test_fraction", testFraction);
        params.put("validation_fraction", valFraction);
        params.put("seed", seed);
        return bySpeakerSets("speaker-fraction", params, utterances, new TreeSet<>(order.subList(0, nTest)),
                new TreeSet<>(order.subList(nTest, nTest + nVal)));
    }

    /**
     * Fold {@code fold} (0-based) of {@code k}-fold cross-validation by speaker: the speakers are dealt round-robin
     * from a gender-balanced seeded order into k folds, so across folds 0..k-1 every speaker is a test speaker
     * exactly once. Validation speakers (about {@code valFraction} of all speakers) are drawn from the others,
     * with a generator derived from seed and fold.
     */
    public static Split kFold(List<Utterance> utterances, int k, int fold, double valFraction, long seed) {
        checkFractions(0, valFraction);
        Map<String, Gender> genders = SpeakerOrder.genders(utterances);
        int n = genders.size();
        if (k < 2 || k > n)
            throw new IllegalArgumentException("k-fold by speaker needs 2 <= k <= speakers (" + n + "); found k=" + k);
        if (fold < 0 || fold >= k) throw new IllegalArgumentException("fold must be in 0.." + (k - 1) + "; found " + fold);
        List<String> order = SpeakerOrder.balanced(genders, new SplittableRandom(seed));
        Set<String> test = new TreeSet<>();
        for (int i = fold; i < n; i += k) test.add(order.get(i));
        Map<String, Gender> rest = new TreeMap<>(genders);
        rest.keySet().removeAll(test);
        int nVal = count(valFraction, n);
        if (nVal >= rest.size())
            throw new IllegalArgumentException("fold " + fold + " leaves " + rest.size() + " speaker(s) outside test, too few for "
                    + nVal + " validation speaker(s) and training: lower the validation fraction or k");
        // A different stream per fold, reproducible from (seed, fold) alone.
        SplittableRandom valRng = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (fold + 1)));
        Set<String> val = new TreeSet<>(SpeakerOrder.balanced(rest, valRng).subList(0, nVal));
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("k", (long) k);
        params.put("fold", (long) fold);
        params.put("validation_fraction", valFraction);
        params.put("seed", seed);
        return bySpeakerSets("speaker-kfold", params, utterances, test, val);
    }

    /**
     * Random split stratified by label: each label's utterances are shuffled under {@code seed} and about the
     * given fractions of them go to test and validation. Speakers overlap between the parts, so the test
     * accuracy measures recognition of trained voices and is inflated relative to a speaker-independent
     * split ({@link Split#OVERLAP_WARNING}); use it only when the data has no speaker information.
     */
    public static Split stratified(List<Utterance> utterances, double testFraction, double valFraction, long seed) {
        checkFractions(testFraction, valFraction);
        Map<String, List<Integer>> byLabel = new TreeMap<>(Labels.ORDER);
        List<Integer> sorted = new ArrayList<>();
        for (int i = 0; i < utterances.size(); i++) sorted.add(i);
        sorted.sort((a, b) -> utterances.get(a).id().compareTo(utterances.get(b).id())); // input order must not matter
        for (int i : sorted) byLabel.computeIfAbsent(utterances.get(i).label(), l -> new ArrayList<>()).add(i);
        SplittableRandom rng = new SplittableRandom(seed);
        Map<Integer, Integer> partOf = new HashMap<>(); // index -> 1 validation, 2 test
        for (List<Integer> idx : byLabel.values()) {
            SpeakerOrder.shuffle(idx, rng);
            int nTest = (int) Math.round(testFraction * idx.size()), nVal = (int) Math.round(valFraction * idx.size());
            for (int j = 0; j < nTest && j < idx.size(); j++) partOf.put(idx.get(j), 2);
            for (int j = nTest; j < nTest + nVal && j < idx.size(); j++) partOf.put(idx.get(j), 1);
        }
        List<Utterance> train = new ArrayList<>(), val = new ArrayList<>(), test = new ArrayList<>();
        for (int i = 0; i < utterances.size(); i++)
            switch (partOf.getOrDefault(i, 0)) {
                case 2 -> test.add(utterances.get(i));
                case 1 -> val.add(utterances.get(i));
                default -> train.add(utterances.get(i));
            }
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("test_fraction", testFraction);
        params.put("validation_fraction", valFraction);
        params.put("seed", seed);
        return new Split("stratified", params, false, train, val, test);
    }

    private static Split bySpeakerSets(String method, Map<String, Object> params, List<Utterance> utterances,
                                       Set<String> test, Set<String> val) {
        List<Utterance> tr = new ArrayList<>(), va = new ArrayList<>(), te = new ArrayList<>();
        for (Utterance u : utterances) {
            if (test.contains(u.speaker())) te.add(u);
            else if (val.contains(u.speaker())) va.add(u);
            else tr.add(u);
        }
        if (tr.isEmpty())
            throw new IllegalArgumentException("the split leaves no training utterances (all speakers are held out): hold out fewer speakers");
        return new Split(method, params, true, tr, va, te);
    }

    private static int count(double fraction, int n) {
        return fraction <= 0 ? 0 : Math.max(1, (int) Math.round(fraction * n));
    }

    private static void checkFractions(double test, double val) {
        if (!(test >= 0 && val >= 0 && test + val < 1))
            throw new IllegalArgumentException("expected fractions >= 0 with test + validation < 1; found test " + test
                    + ", validation " + val);
    }

    private static String preview(Set<String> speakers) {
        List<String> l = new ArrayList<>(speakers);
        return l.size() <= 12 ? l.toString() : l.subList(0, 12) + " ... (" + l.size() + " in all)";
    }
}
