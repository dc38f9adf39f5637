package dev.ser.app.metrics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Per-class precision, recall, f1-score and support, their macro and weighted averages, accuracy,
 * UAR and the confusion matrix: scikit-learn's {@code classification_report(y_true, y_pred,
 * labels=range(C), target_names=labels, zero_division=0)} plus the two numbers SER papers report.
 *
 * <p>Classes are the indices 0..C-1 of {@code labels}; every label gets a row, also one that never
 * occurs in y_true or y_pred (sklearn does the same when {@code labels=} is passed). Where a ratio has
 * a zero denominator (a class never predicted has no precision, a class absent from y_true has no
 * recall) the value is 0.0, as sklearn's {@code zero_division=0}, and {@link #notes()} says which.
 * Because both averages then count such a class as 0.0, they match sklearn exactly.
 */
public final class ClassificationReport {
    /** One row of the report; {@code support} is the number of true samples of the class (or of all classes for an average). */
    public record Scores(double precision, double recall, double f1Score, int support) {}

    /** Top-level keys of {@link #toJson()} besides the labels; a label spelled like one would be overwritten. */
    private static final Set<String> RESERVED_KEYS =
            Set.of("accuracy", "macro avg", "weighted avg", "uar", "confusion_matrix", "labels", "notes");

    private final List<String> labels;
    private final int[][] confusion;
    private final List<Scores> perClass;
    private final Scores macroAvg;
    private final Scores weightedAvg;
    private final double accuracy;
    private final List<String> notes;

    private ClassificationReport(List<String> labels, int[][] confusion, List<Scores> perClass, Scores macroAvg,
                                 Scores weightedAvg, double accuracy, List<String> notes) {
        this.labels = labels;
        this.confusion = confusion;
        this.perClass = perClass;
        this.macroAvg = macroAvg;
        this.weightedAvg = weightedAvg;
        this.accuracy = accuracy;
        this.notes = notes;
    }

    /**
     * @param yTrue  true class index of each sample, in [0, labels.size())
     * @param yPred  predicted class index of each sample, same length
     * @param labels class names; index i names class i
     */
    public static ClassificationReport of(int[] yTrue, int[] yPred, List<String> labels) {
        checkLabels(labels);
        int[][] cm = confusionMatrix(yTrue, yPred, labels.size());
        int c = labels.size(), n = yTrue.length;
        List<Scores> rows = new ArrayList<>(c);
        List<String> notes = new ArrayList<>();
        int correct = 0;
        double[] sum = new double[3], weighted = new double[3];
        for (int k = 0; k < c; k++) {
            int tp = cm[k][k], predicted = 0, support = 0;
            for (int j = 0; j < c; j++) {
                predicted += cm[j][k];
                support += cm[k][j];
            }
            correct += tp;
            double precision = ratio(tp, predicted), recall = ratio(tp, support);
            // sklearn: F = 2PR/(P+R), and 0 when P+R == 0 (zero_division=0); the same as 2tp/(2tp+fp+fn) here.
            double f1 = precision + recall == 0 ? 0.0 : 2 * precision * recall / (precision + recall);
            if (predicted == 0) notes.add("precision of '" + labels.get(k)
                    + "' is ill-defined (no predicted samples): set to 0.0 as sklearn's zero_division=0, so its f1-score is 0.0 too");
            if (support == 0) notes.add("recall of '" + labels.get(k)
                    + "' is ill-defined (no true samples): set to 0.0 as sklearn's zero_division=0; it still counts in the macro avg and UAR");
            rows.add(new Scores(precision, recall, f1, support));
            double[] v = {precision, recall, f1};
            for (int m = 0; m < 3; m++) {
                sum[m] += v[m];
                weighted[m] += v[m] * support;
            }
        }
        Scores macro = new Scores(sum[0] / c, sum[1] / c, sum[2] / c, n);
        Scores weightedAvg = new Scores(weighted[0] / n, weighted[1] / n, weighted[2] / n, n);
        return new ClassificationReport(List.copyOf(labels), cm, List.copyOf(rows), macro, weightedAvg,
                (double) correct / n, List.copyOf(notes));
    }

    /** Rows are true classes, columns predicted classes: sklearn's {@code confusion_matrix(y_true, y_pred, labels=range(C))}. */
    public static int[][] confusionMatrix(int[] yTrue, int[] yPred, int classes) {
        if (yTrue.length != yPred.length) throw new IllegalArgumentException(
                "y_true has " + yTrue.length + " samples but y_pred has " + yPred.length + ": pass one prediction per sample");
        if (yTrue.length == 0) throw new IllegalArgumentException("no samples: a report needs at least one (y_true, y_pred) pair");
        int[][] cm = new int[classes][classes];
        for (int i = 0; i < yTrue.length; i++) {
            checkClass("y_true", i, yTrue[i], classes);
            checkClass("y_pred", i, yPred[i], classes);
            cm[yTrue[i]][yPred[i]]++;
        }
        return cm;
    }

    private static void checkClass(String what, int i, int value, int classes) {
        if (value < 0 || value >= classes) throw new IllegalArgumentException(
                what + "[" + i + "] = " + value + " is not a class index in [0, " + classes + "): is the label list complete?");
    }

    private static void checkLabels(List<String> labels) {
        if (labels.isEmpty()) throw new IllegalArgumentException("no labels: pass the class names, index i naming class i");
        Set<String> seen = new HashSet<>();
        for (String l : labels) {
            if (!seen.add(l)) throw new IllegalArgumentException("label '" + l + "' appears twice in " + labels);
            if (RESERVED_KEYS.contains(l)) throw new IllegalArgumentException(
                    "label '" + l + "' would collide with the report key of the same name: rename the class");
        }
    }

    private static double ratio(int num, int den) {
        return den == 0 ? 0.0 : (double) num / den;
    }

    public List<String> labels() { return labels; }

    /** Row {@code k} of the report, for class {@code labels().get(k)}. */
    public Scores scores(int k) { return perClass.get(k); }

    public List<Scores> perClass() { return perClass; }

    public Scores macroAvg() { return macroAvg; }

    public Scores weightedAvg() { return weightedAvg; }

    public double accuracy() { return accuracy; }

    /** Unweighted average recall: the mean of the per-class recalls (= macro avg recall), SER's headline metric because emotion corpora are imbalanced. */
    public double uar() { return macroAvg.recall(); }

    /** A copy of the confusion matrix, rows true and columns predicted. */
    public int[][] confusionMatrix() {
        int[][] copy = new int[confusion.length][];
        for (int i = 0; i < confusion.length; i++) copy[i] = confusion[i].clone();
        return copy;
    }

    /** What was ill-defined and how it was filled in; empty when nothing was. */
    public List<String> notes() { return notes; }

    /** sklearn's text report with 2 digits, followed by UAR, the confusion matrix and the notes. */
    public String toText() { return ReportText.render(this, 2); }

    public String toText(int digits) { return ReportText.render(this, digits); }

    /**
     * For {@code Json.writePretty}: the keys of sklearn's {@code output_dict=True} (one object per label,
     * "accuracy", "macro avg", "weighted avg"), then "uar", "confusion_matrix", "labels" and "notes".
     */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (int k = 0; k < labels.size(); k++) out.put(labels.get(k), row(perClass.get(k)));
        out.put("accuracy", accuracy);
        out.put("macro avg", row(macroAvg));
        out.put("weighted avg", row(weightedAvg));
        out.put("uar", uar());
        List<int[]> rows = new ArrayList<>();
        for (int[] r : confusion) rows.add(r.clone());
        out.put("confusion_matrix", rows);
        out.put("labels", labels);
        out.put("notes", notes);
        return out;
    }

    private static Map<String, Object> row(Scores s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("precision", s.precision());
        m.put("recall", s.recall());
        m.put("f1-score", s.f1Score());
        m.put("support", s.support());
        return m;
    }
}
