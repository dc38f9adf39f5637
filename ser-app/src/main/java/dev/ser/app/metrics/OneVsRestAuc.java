package dev.ser.app.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One-vs-rest ROC AUC per class from a probability matrix, and their macro average: sklearn's
 * {@code roc_auc_score(y, P, multi_class="ovr", average=None)} and {@code average="macro"}.
 *
 * <p>Column c is scored against "true class is c". A class with no true samples (or with every sample)
 * has no AUC; sklearn raises for the whole call, which would lose the other classes of a small test
 * fold, so here that class gets NaN with a note and the macro average runs over the classes that
 * have one. Rows need not sum to 1: each column is used on its own.
 */
public record OneVsRestAuc(List<String> labels, double[] auc, double macro, List<String> notes) {

    /**
     * @param probabilities [N x C] scores, row i for sample i, column c for class c
     * @param yTrue         true class index per sample, in [0, C)
     * @param labels        C class names
     */
    public static OneVsRestAuc of(double[][] probabilities, int[] yTrue, List<String> labels) {
        int n = yTrue.length, c = labels.size();
        double[] auc = new double[c];
        List<String> notes = new ArrayList<>();
        double sum = 0;
        int defined = 0;
        for (int k = 0; k < c; k++) {
            Column col = column(probabilities, yTrue, k, c);
            if (RocAuc.defined(col.positive())) {
                auc[k] = RocAuc.binary(col.scores(), col.positive());
                sum += auc[k];
                defined++;
            } else {
                auc[k] = Double.NaN;
                notes.add("ROC AUC of '" + labels.get(k) + "' is undefined (" + (n == 0 || yTrue[0] != k ? "no" : "only")
                        + " true samples of it): NaN, left out of the macro average (sklearn raises instead)");
            }
        }
        return new OneVsRestAuc(List.copyOf(labels), auc, defined == 0 ? Double.NaN : sum / defined, List.copyOf(notes));
    }

    /** The curve behind each class's AUC, in label order; a class whose AUC is undefined has none. */
    public static Map<String, RocAuc.Curve> curves(double[][] probabilities, int[] yTrue, List<String> labels) {
        Map<String, RocAuc.Curve> curves = new LinkedHashMap<>();
        for (int k = 0; k < labels.size(); k++) {
            Column col = column(probabilities, yTrue, k, labels.size());
            if (RocAuc.defined(col.positive())) curves.put(labels.get(k), RocAuc.curve(col.scores(), col.positive()));
        }
        return curves;
    }

    /** Column k of the scores, and whether each sample's true class is k. */
    private record Column(double[] scores, boolean[] positive) {}

    private static Column column(double[][] probabilities, int[] yTrue, int k, int c) {
        int n = yTrue.length;
        if (probabilities.length != n) throw new IllegalArgumentException(
                "probability matrix has " + probabilities.length + " rows but y_true has " + n + " samples");
        double[] scores = new double[n];
        boolean[] positive = new boolean[n];
        for (int i = 0; i < n; i++) {
            if (probabilities[i].length != c) throw new IllegalArgumentException(
                    "row " + i + " of the probability matrix has " + probabilities[i].length + " columns, expected " + c + " (one per label)");
            if (yTrue[i] < 0 || yTrue[i] >= c) throw new IllegalArgumentException(
                    "y_true[" + i + "] = " + yTrue[i] + " is not a class index in [0, " + c + ")");
            scores[i] = probabilities[i][k];
            positive[i] = yTrue[i] == k;
        }
        return new Column(scores, positive);
    }

    /** {"per_class": {label: auc or null}, "macro avg": ..., "notes": [...]} for {@code Json.writePretty}. */
    public Map<String, Object> toJson() {
        Map<String, Object> per = new LinkedHashMap<>();
        for (int k = 0; k < labels.size(); k++) per.put(labels.get(k), auc[k]);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("per_class", per);
        out.put("macro avg", macro);
        out.put("notes", notes);
        return out;
    }
}
