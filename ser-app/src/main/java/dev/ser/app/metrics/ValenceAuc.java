package dev.ser.app.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Binary "positive vs negative emotion" ROC AUC from a multi-class probability matrix.
 *
 * <p>The score of a sample is P(positive classes) / (P(positive classes) + P(negative classes)): the
 * probability of positive valence given that the utterance is valenced, so mass the model puts on an
 * excluded class (neutral) neither helps nor hurts. Samples whose true label is excluded are dropped.
 */
public record ValenceAuc(double auc, int positives, int negatives, int excluded, List<String> notes) {

    public enum Valence { POSITIVE, NEGATIVE, EXCLUDED }

    /**
     * The valence of the label set shared by RAVDESS, CREMA-D, TESS, SAVEE and EMO-DB (lower case).
     * Valence is the pleasant-unpleasant axis of Russell's circumplex model of affect (1980).
     * <ul>
     * <li>happy: pleasant, high arousal.</li>
     * <li>calm: pleasant, low arousal (RAVDESS's calm sits in the circumplex's content/relaxed quadrant).</li>
     * <li>surprised: surprise itself can go either way, but TESS records it as "pleasant surprise" and
     *     RAVDESS's surprised takes are mostly pleasant, so it counts as positive.</li>
     * <li>sad, angry, fearful, disgust: unpleasant (the negative basic emotions).</li>
     * <li>boredom (EMO-DB's Langeweile): unpleasant, low arousal.</li>
     * <li>neutral: no valence by definition; excluded rather than forced onto either side.</li>
     * </ul>
     */
    public static final Map<String, Valence> VALENCE = Map.of(
            "happy", Valence.POSITIVE,
            "surprised", Valence.POSITIVE,
            "calm", Valence.POSITIVE,
            "sad", Valence.NEGATIVE,
            "angry", Valence.NEGATIVE,
            "fearful", Valence.NEGATIVE,
            "disgust", Valence.NEGATIVE,
            "boredom", Valence.NEGATIVE,
            "neutral", Valence.EXCLUDED);

    public static Valence valenceOf(String label) {
        Valence v = VALENCE.get(label.toLowerCase(Locale.ROOT));
        if (v == null) throw new IllegalArgumentException("label '" + label + "' has no valence; known labels are "
                + VALENCE.keySet() + ": map the corpus's label onto one of them, or add it to ValenceAuc.VALENCE with a reason");
        return v;
    }

    /**
     * @param probabilities [N x C] class probabilities
     * @param yTrue         true class index per sample
     * @param labels        the C class names, each a key of {@link #VALENCE} (any case)
     * @return the AUC, or NaN with a note when the kept samples are all of one valence
     */
    public static ValenceAuc of(double[][] probabilities, int[] yTrue, List<String> labels) {
        Scored scored = score(probabilities, yTrue, labels);
        List<String> notes = new ArrayList<>();
        if (scored.zeroMass() > 0) notes.add(scored.zeroMass() + " sample(s) put all probability on excluded classes: valence score 0.5");
        int positives = 0;
        for (boolean p : scored.positive()) if (p) positives++;
        int negatives = scored.positive().length - positives;
        double auc = Double.NaN;
        if (RocAuc.defined(scored.positive())) auc = RocAuc.binary(scored.scores(), scored.positive());
        else notes.add("valence AUC is undefined: " + positives + " positive and " + negatives
                + " negative samples after excluding " + scored.excluded() + " (sklearn raises here)");
        return new ValenceAuc(auc, positives, negatives, scored.excluded(), List.copyOf(notes));
    }

    /** The ROC curve whose area {@link #of} reports, or null where that is undefined (one valence only). */
    public static RocAuc.Curve curve(double[][] probabilities, int[] yTrue, List<String> labels) {
        Scored scored = score(probabilities, yTrue, labels);
        return RocAuc.defined(scored.positive()) ? RocAuc.curve(scored.scores(), scored.positive()) : null;
    }

    /** The valenced samples' scores and truths; how many were excluded, and how many had no valenced mass. */
    private record Scored(double[] scores, boolean[] positive, int excluded, int zeroMass) {}

    private static Scored score(double[][] probabilities, int[] yTrue, List<String> labels) {
        if (probabilities.length != yTrue.length) throw new IllegalArgumentException(
                "probability matrix has " + probabilities.length + " rows but y_true has " + yTrue.length + " samples");
        Valence[] side = new Valence[labels.size()];
        for (int k = 0; k < side.length; k++) side[k] = valenceOf(labels.get(k));
        List<Double> scores = new ArrayList<>();
        List<Boolean> positive = new ArrayList<>();
        int excluded = 0, zeroMass = 0;
        for (int i = 0; i < yTrue.length; i++) {
            if (probabilities[i].length != side.length) throw new IllegalArgumentException(
                    "row " + i + " has " + probabilities[i].length + " probabilities, expected " + side.length + " (one per label)");
            if (yTrue[i] < 0 || yTrue[i] >= side.length) throw new IllegalArgumentException(
                    "y_true[" + i + "] = " + yTrue[i] + " is not a class index in [0, " + side.length + ")");
            Valence truth = side[yTrue[i]];
            if (truth == Valence.EXCLUDED) {
                excluded++;
                continue;
            }
            double pos = 0, neg = 0;
            for (int k = 0; k < side.length; k++) {
                if (side[k] == Valence.POSITIVE) pos += probabilities[i][k];
                else if (side[k] == Valence.NEGATIVE) neg += probabilities[i][k];
            }
            // All mass on excluded classes: the model has no valence opinion, so score it as a coin flip.
            if (pos + neg == 0) zeroMass++;
            scores.add(pos + neg == 0 ? 0.5 : pos / (pos + neg));
            positive.add(truth == Valence.POSITIVE);
        }
        double[] s = new double[scores.size()];
        boolean[] p = new boolean[scores.size()];
        for (int i = 0; i < s.length; i++) {
            s[i] = scores.get(i);
            p[i] = positive.get(i);
        }
        return new Scored(s, p, excluded, zeroMass);
    }
}
