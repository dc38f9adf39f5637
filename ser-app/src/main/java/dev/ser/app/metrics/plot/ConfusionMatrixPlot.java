package dev.ser.app.metrics.plot;

import dev.ser.app.metrics.ClassificationReport;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Confusion-matrix heatmap: rows true, columns predicted (sklearn's convention), each cell showing its
 * count and its share of the true class. The colour is that share, not the raw count: emotion corpora
 * are imbalanced, and the row-normalised diagonal is per-class recall, whose mean is the UAR. Within a
 * row, a darker cell always means more samples. A class with no true samples gets a grey row; zero cells show a faint 0.
 */
public final class ConfusionMatrixPlot {
    private ConfusionMatrixPlot() {}

    public static final int WIDTH = 860, HEIGHT = 800;
    private static final int TOP = 86, RIGHT = 120, AXIS_TITLE = 34, GAP = 10;
    private static final Color EMPTY = new Color(0xf0f0f0), ZERO = new Color(0xb0b0b0);

    /** Where the cells are: {@code x, y} of the top-left cell and the side of a cell, in pixels. */
    record Layout(double x, double y, double cell) {}

    /** Heatmap with accuracy, UAR and N under the title. */
    public static void write(Path png, ClassificationReport report, String title) {
        String subtitle = String.format(Locale.ROOT, "accuracy %.3f   ·   UAR %.3f   ·   N = %d",
                report.accuracy(), report.uar(), report.macroAvg().support());
        Canvas.writePng(render(report.confusionMatrix(), report.labels(), title, subtitle), png);
    }

    public static void write(Path png, int[][] matrix, List<String> labels, String title) {
        Canvas.writePng(render(matrix, labels, title, null), png);
    }

    public static BufferedImage render(int[][] matrix, List<String> labels, String title, String subtitle) {
        int c = labels.size();
        if (matrix.length != c) throw new IllegalArgumentException(
                "confusion matrix has " + matrix.length + " rows but there are " + c + " labels");
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.begin(img);
        Canvas.title(g, title, WIDTH, 38);
        if (subtitle != null) {
            g.setFont(Canvas.font(Font.PLAIN, 14f));
            g.setColor(Canvas.MUTED);
            Canvas.centered(g, subtitle, WIDTH / 2.0, 62);
        }
        Layout at = layout(g, labels);
        double cell = at.cell(), size = cell * c;
        Font countFont = Canvas.font(Font.BOLD, (float) Math.clamp(cell * 0.24, 10, 20));
        Font shareFont = Canvas.font(Font.PLAIN, (float) Math.clamp(cell * 0.17, 9, 14));
        for (int i = 0; i < c; i++) {
            if (matrix[i].length != c) throw new IllegalArgumentException(
                    "row " + i + " of the confusion matrix has " + matrix[i].length + " columns, expected " + c);
            long support = 0;
            for (int n : matrix[i]) support += n;
            for (int j = 0; j < c; j++) {
                double x = at.x() + j * cell, y = at.y() + i * cell;
                double share = support == 0 ? Double.NaN : (double) matrix[i][j] / support;
                g.setColor(support == 0 ? EMPTY : blues(share));
                g.fill(new Rectangle2D.Double(x, y, cell, cell));
                if (matrix[i][j] == 0) { // empty cells recede so the confusions that happened stand out
                    g.setColor(ZERO);
                    g.setFont(shareFont);
                    Canvas.centeredBoth(g, "0", x + cell / 2, y + cell / 2);
                    continue;
                }
                g.setColor(share > 0.5 ? Color.WHITE : Canvas.TEXT);
                g.setFont(countFont);
                Canvas.centeredBoth(g, Integer.toString(matrix[i][j]), x + cell / 2, y + cell * 0.42);
                g.setFont(shareFont);
                g.setColor(share > 0.5 ? new Color(0xdde8f5) : Canvas.MUTED);
                Canvas.centeredBoth(g, String.format(Locale.ROOT, "%.1f%%", 100 * share),
                        x + cell / 2, y + cell * 0.70);
            }
        }
        g.setColor(new Color(0xbbbbbb));
        g.setStroke(Canvas.stroke(1f));
        g.draw(new Rectangle2D.Double(at.x(), at.y(), size, size));
        tickLabels(g, labels, at);
        colorBar(g, at.x() + size + 28, at.y(), size);
        g.dispose();
        return img;
    }

    /** The grid is square and as large as fits between the row labels, the rotated column labels and the colour bar. */
    static Layout layout(Graphics2D g, List<String> labels) {
        g.setFont(labelFont());
        FontMetrics fm = g.getFontMetrics();
        int widest = 0;
        for (String l : labels) widest = Math.max(widest, fm.stringWidth(l));
        double left = AXIS_TITLE + widest + GAP + 8;
        double bottom = widest * Math.sin(Math.PI / 4) + fm.getAscent() + GAP + AXIS_TITLE + 16;
        double cell = Math.floor(Math.min(WIDTH - left - RIGHT, HEIGHT - TOP - bottom) / labels.size());
        double x = left + (WIDTH - left - RIGHT - cell * labels.size()) / 2;
        return new Layout(Math.round(x), TOP, cell);
    }

    private static Font labelFont() {
        return Canvas.font(Font.PLAIN, 14f);
    }

    /** Row names right-aligned to the grid; column names rotated 45 degrees so long names never collide. */
    private static void tickLabels(Graphics2D g, List<String> labels, Layout at) {
        int c = labels.size();
        double cell = at.cell(), size = cell * c;
        g.setFont(labelFont());
        FontMetrics fm = g.getFontMetrics();
        g.setColor(Canvas.TEXT);
        int widest = 0;
        for (int i = 0; i < c; i++) {
            Canvas.rightAligned(g, labels.get(i), at.x() - GAP, at.y() + i * cell + cell / 2 + (fm.getAscent() - fm.getDescent()) / 2.0);
            widest = Math.max(widest, fm.stringWidth(labels.get(i)));
        }
        for (int j = 0; j < c; j++) {
            // Rotate about the label's end so that end sits just under the column centre.
            double cx = at.x() + j * cell + cell / 2, top = at.y() + size + GAP + fm.getAscent() * 0.7;
            double w = fm.stringWidth(labels.get(j));
            Canvas.rotated(g, labels.get(j), cx - w * Math.cos(Math.PI / 4), top + w * Math.sin(Math.PI / 4), -Math.PI / 4);
        }
        g.setFont(Canvas.font(Font.BOLD, 15f));
        Canvas.centered(g, "Predicted label", at.x() + size / 2,
                at.y() + size + GAP + widest * Math.sin(Math.PI / 4) + fm.getAscent() + 30);
        String trueLabel = "True label";
        double tx = at.x() - GAP - widest - 16;
        Canvas.rotated(g, trueLabel, tx, at.y() + size / 2 + g.getFontMetrics().stringWidth(trueLabel) / 2.0, -Math.PI / 2);
    }

    private static void colorBar(Graphics2D g, double x, double y, double height) {
        double w = 18;
        for (int k = 0; k < height; k++) {
            g.setColor(blues(1 - k / (height - 1)));
            g.fill(new Rectangle2D.Double(x, y + k, w, 1.5));
        }
        g.setColor(new Color(0xbbbbbb));
        g.setStroke(Canvas.stroke(1f));
        g.draw(new Rectangle2D.Double(x, y, w, height));
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        for (int p = 0; p <= 100; p += 25) {
            double ty = y + height - p / 100.0 * height;
            g.setColor(Canvas.AXIS);
            g.draw(new Line2D.Double(x + w, ty, x + w + 4, ty));
            g.setColor(Canvas.MUTED);
            g.drawString(p + "%", (float) (x + w + 7), (float) (ty + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
        g.setColor(Canvas.TEXT);
        g.setFont(Canvas.font(Font.PLAIN, 13f));
        String label = "share of true class";
        Canvas.rotated(g, label, x + w + 58, y + height / 2 - g.getFontMetrics().stringWidth(label) / 2.0, Math.PI / 2);
    }

    /** matplotlib's "Blues" colormap, linearly interpolated between its nine defining colours. */
    private static final int[] BLUES = {0xf7fbff, 0xdeebf7, 0xc6dbef, 0x9ecae1, 0x6baed6, 0x4292c6, 0x2171b5, 0x08519c, 0x08306b};

    static Color blues(double t) {
        double pos = Math.clamp(t, 0, 1) * (BLUES.length - 1);
        int i = (int) Math.min(BLUES.length - 2, Math.floor(pos));
        double f = pos - i;
        int a = BLUES[i], b = BLUES[i + 1];
        return new Color(mix(a >> 16, b >> 16, f), mix(a >> 8, b >> 8, f), mix(a, b, f));
    }

    private static int mix(int a, int b, double f) {
        return (int) Math.round((a & 0xff) * (1 - f) + (b & 0xff) * f);
    }
}
