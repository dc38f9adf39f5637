package dev.ser.app.evaluate;

import dev.ser.app.metrics.ClassificationReport;
import dev.ser.app.metrics.OneVsRestAuc;
import dev.ser.app.metrics.RocAuc;
import dev.ser.app.metrics.ValenceAuc;
import dev.ser.app.metrics.plot.ConfusionMatrixPlot;
import dev.ser.app.metrics.plot.OptionalPlot;
import dev.ser.app.metrics.plot.RocPlot;
import dev.ser.engine.io.AtomicFiles;
import dev.ser.engine.io.Json;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every metric of one evaluation (accuracy, per-class precision/recall/F1 with support, macro and
 * weighted averages, UAR, confusion matrix, one-vs-rest ROC-AUC per class, positive-vs-negative
 * valence ROC-AUC) and the files that show them: NAME.json, NAME.txt, NAME-confusion.png and NAME-roc.png.
 */
public record Evaluation(ClassificationReport report, OneVsRestAuc oneVsRest, ValenceAuc valence, List<String> ids, int[] yTrue,
                         double[][] probabilities) {

    public static Evaluation of(List<String> ids, int[] yTrue, float[][] probabilities, List<String> labels) {
        double[][] p = new double[probabilities.length][];
        int[] yPred = new int[probabilities.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = new double[probabilities[i].length];
            for (int j = 0; j < p[i].length; j++) {
                p[i][j] = probabilities[i][j];
                if (p[i][j] > p[i][yPred[i]]) yPred[i] = j;
            }
        }
        return new Evaluation(ClassificationReport.of(yTrue, yPred, labels), OneVsRestAuc.of(p, yTrue, labels),
                ValenceAuc.of(p, yTrue, labels), ids, yTrue, p);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>(report.toJson());
        m.put("roc_auc_ovr", oneVsRest.toJson());
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("auc", valence.auc());
        v.put("positives", valence.positives());
        v.put("negatives", valence.negatives());
        v.put("excluded", valence.excluded());
        v.put("grouping", "positive: happy, calm, surprised; negative: sad, angry, fearful, disgust, boredom; neutral excluded");
        v.put("notes", valence.notes());
        m.put("roc_auc_valence", v);
        return m;
    }

    /** A readable summary: the classification report, the AUCs, the confusion matrix. */
    public String toText() {
        StringBuilder sb = new StringBuilder(report.toText());
        sb.append(String.format(java.util.Locale.ROOT, "%nUAR (unweighted average recall)  %.4f%n", report.uar()));
        sb.append(String.format(java.util.Locale.ROOT, "ROC-AUC one-vs-rest, macro       %.4f%n", oneVsRest.macro()));
        sb.append(String.format(java.util.Locale.ROOT, "ROC-AUC valence (pos vs neg)     %.4f  (%d positive, %d negative, %d neutral excluded)%n",
                valence.auc(), valence.positives(), valence.negatives(), valence.excluded()));
        return sb.toString();
    }

    /**
     * Writes {@code dir/NAME.json}, {@code NAME.txt}, {@code NAME-confusion.png} and {@code NAME-roc.png} (the charts
     * where this Java can draw, {@link OptionalPlot}); returns the text.
     */
    public String write(Path dir, String name, String title) throws IOException {
        String text = toText();
        AtomicFiles.writeString(dir.resolve(name + ".json"), Json.writePretty(toJson()));
        AtomicFiles.writeString(dir.resolve(name + ".txt"), title + "\n\n" + text);
        Path confusion = dir.resolve(name + "-confusion.png"), roc = dir.resolve(name + "-roc.png");
        OptionalPlot.write(confusion, () -> ConfusionMatrixPlot.write(confusion, report, title), System.err);
        Map<String, RocAuc.Curve> curves = rocCurves();
        if (!curves.isEmpty()) OptionalPlot.write(roc, () -> RocPlot.write(roc, curves, "ROC: " + title), System.err);
        return text;
    }

    /** The curves behind the AUCs: valence (positive vs negative) first, then each class against the rest; undefined ones left out. */
    public Map<String, RocAuc.Curve> rocCurves() {
        Map<String, RocAuc.Curve> curves = new LinkedHashMap<>();
        RocAuc.Curve valenceCurve = ValenceAuc.curve(probabilities, yTrue, report.labels());
        if (valenceCurve != null) curves.put("valence, positive vs negative", valenceCurve);
        curves.putAll(OneVsRestAuc.curves(probabilities, yTrue, report.labels()));
        return curves;
    }
}
