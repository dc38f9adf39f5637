package dev.ser.app.metrics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * The fixed-width text of a {@link ClassificationReport}. The first block is character for character
 * sklearn's {@code classification_report(..., digits=d)}, so people can diff the two; UAR, the confusion
 * matrix with label names and the notes follow.
 */
final class ReportText {
    private ReportText() {}

    static String render(ClassificationReport r, int digits) {
        if (digits < 0) throw new IllegalArgumentException("digits must be >= 0, got " + digits);
        List<String> labels = r.labels();
        // sklearn: width = max(longest target name, len("weighted avg"), digits); every column is 9 wide after one space.
        int width = Math.max(Math.max(longest(labels), "weighted avg".length()), digits);
        StringBuilder sb = new StringBuilder();
        sb.append(pad("", width)).append(' ');
        for (String h : new String[] {"precision", "recall", "f1-score", "support"}) sb.append(' ').append(pad(h, 9));
        sb.append("\n\n");
        for (int k = 0; k < labels.size(); k++) row(sb, labels.get(k), r.scores(k), width, digits);
        sb.append('\n');
        sb.append(pad("accuracy", width)).append(' ').append(' ').append(pad("", 9)).append(' ').append(pad("", 9))
                .append(' ').append(pad(fixed(r.accuracy(), digits), 9))
                .append(' ').append(pad(Integer.toString(r.macroAvg().support()), 9)).append('\n');
        row(sb, "macro avg", r.macroAvg(), width, digits);
        row(sb, "weighted avg", r.weightedAvg(), width, digits);

        sb.append('\n').append("UAR (unweighted average recall = macro avg recall): ")
                .append(fixed(r.uar(), Math.max(digits, 4))).append("\n\n");
        confusion(sb, r.confusionMatrix(), labels);
        if (!r.notes().isEmpty()) {
            sb.append("\nnotes:\n");
            for (String n : r.notes()) sb.append("  - ").append(n).append('\n');
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, String name, ClassificationReport.Scores s, int width, int digits) {
        sb.append(pad(name, width)).append(' ');
        for (double v : new double[] {s.precision(), s.recall(), s.f1Score()}) sb.append(' ').append(pad(fixed(v, digits), 9));
        sb.append(' ').append(pad(Integer.toString(s.support()), 9)).append('\n');
    }

    /** Rows true, columns predicted; each column as wide as its label or its largest count, whichever is wider. */
    private static void confusion(StringBuilder sb, int[][] cm, List<String> labels) {
        sb.append("confusion matrix (rows: true label, columns: predicted label)\n");
        int nameWidth = longest(labels);
        int[] colWidth = new int[labels.size()];
        for (int j = 0; j < labels.size(); j++) {
            colWidth[j] = labels.get(j).length();
            for (int[] row : cm) colWidth[j] = Math.max(colWidth[j], Integer.toString(row[j]).length());
        }
        sb.append(pad("", nameWidth));
        for (int j = 0; j < labels.size(); j++) sb.append("  ").append(pad(labels.get(j), colWidth[j]));
        sb.append('\n');
        for (int i = 0; i < cm.length; i++) {
            sb.append(pad(labels.get(i), nameWidth));
            for (int j = 0; j < cm[i].length; j++) sb.append("  ").append(pad(Integer.toString(cm[i][j]), colWidth[j]));
            sb.append('\n');
        }
    }

    /**
     * Python's {@code format(x, '.{d}f')}: the exact binary value rounded half-even. Java's %f rounds the
     * shortest decimal form half-up instead (0.125 gives 0.13 there, 0.12 in Python).
     */
    static String fixed(double x, int digits) {
        if (Double.isNaN(x)) return "nan";
        return new BigDecimal(x).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : " ".repeat(width - s.length()) + s;
    }

    private static int longest(List<String> labels) {
        int w = 0;
        for (String l : labels) w = Math.max(w, l.length());
        return w;
    }
}
