package dev.ser.app.metrics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Per-epoch training curves: one panel per quantity (loss, accuracy, learning rate ...), up to three
 * panels a row, each series a line, and the best epoch marked by a dashed vertical line with a dot on
 * every series. Series named "train ..." are drawn dashed, the others solid, so
 * the held-out curve is the one that stands out.
 */
public final class TrainingCurvesPlot {
    private TrainingCurvesPlot() {}

    /** {@code values[e]} is the value after epoch e + 1; NaN where it was not measured. */
    public record Series(String name, double[] values) {}

    public record Panel(String title, String yLabel, List<Series> series) {}

    static final int PANEL_WIDTH = 520, PANEL_HEIGHT = 380, TITLE_HEIGHT = 56, COLUMNS = 3;
    private static final Color BEST = new Color(0x555555);

    /** Image size for {@code panels} panels: up to three a row. */
    public static int[] size(int panels) {
        int cols = Math.min(COLUMNS, panels), rows = (panels + COLUMNS - 1) / COLUMNS;
        return new int[] {cols * PANEL_WIDTH, TITLE_HEIGHT + rows * PANEL_HEIGHT};
    }

    /** Index of the best finite value (the lowest if {@code lowerIsBetter}), first one on ties; -1 if none. */
    public static int bestEpoch(double[] values, boolean lowerIsBetter) {
        int best = -1;
        for (int e = 0; e < values.length; e++) {
            if (!Double.isFinite(values[e])) continue;
            if (best < 0 || (lowerIsBetter ? values[e] < values[best] : values[e] > values[best])) best = e;
        }
        return best;
    }

    /** @param bestEpoch 0-based index of the epoch to mark (e.g. {@link #bestEpoch} of the val loss); -1 for none */
    public static void write(Path png, List<Panel> panels, int bestEpoch, String title) {
        Canvas.writePng(render(panels, bestEpoch, title), png);
    }

    public static BufferedImage render(List<Panel> panels, int bestEpoch, String title) {
        if (panels.isEmpty()) throw new IllegalArgumentException("no panels to draw: pass at least one Panel of series");
        int[] size = size(panels.size());
        BufferedImage img = Canvas.image(size[0], size[1]);
        Graphics2D g = Canvas.begin(img);
        Canvas.title(g, title, size[0], 36);
        for (int p = 0; p < panels.size(); p++) {
            int x = (p % COLUMNS) * PANEL_WIDTH, y = TITLE_HEIGHT + (p / COLUMNS) * PANEL_HEIGHT;
            panel(g, panels.get(p), bestEpoch, x, y);
        }
        g.dispose();
        return img;
    }

    private static void panel(Graphics2D g, Panel panel, int bestEpoch, int x, int y) {
        int epochs = 0;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (Series s : panel.series()) {
            epochs = Math.max(epochs, s.values().length);
            for (double v : s.values()) {
                if (!Double.isFinite(v)) continue;
                lo = Math.min(lo, v);
                hi = Math.max(hi, v);
            }
        }
        Rectangle2D area = new Rectangle2D.Double(x + 82, y + 34, PANEL_WIDTH - 82 - 26, PANEL_HEIGHT - 34 - 66);
        double[] xTicks = Axes.niceTicks(1, Math.max(2, epochs), 6);
        if (xTicks[1] - xTicks[0] < 1) xTicks = Axes.niceTicks(1, Math.max(2, epochs), Math.max(1, epochs - 1));
        Axes axes = new Axes(area, xTicks, Axes.niceTicks(lo, hi, 5));
        g.setColor(Canvas.TEXT);
        g.setFont(Canvas.font(Font.BOLD, 14f));
        Canvas.centered(g, panel.title(), area.getCenterX(), y + 22);
        axes.draw(g, "epoch", panel.yLabel());

        List<Axes.Entry> legend = new ArrayList<>();
        List<double[]> pixels = new ArrayList<>();
        Path2D saved = null;
        boolean bestShown = bestEpoch >= 0 && bestEpoch < epochs;
        if (bestShown) {
            g.setColor(BEST);
            g.setStroke(Canvas.dashed(1.2f));
            double bx = axes.px(bestEpoch + 1);
            g.draw(new Line2D.Double(bx, area.getY(), bx, area.getMaxY()));
        }
        for (int i = 0; i < panel.series().size(); i++) {
            Series s = panel.series().get(i);
            Color color = Canvas.PALETTE[i % Canvas.PALETTE.length];
            BasicStroke stroke = s.name().startsWith("train") ? Canvas.dashed(2.2f) : Canvas.stroke(2.4f);
            Path2D line = new Path2D.Double();
            boolean penDown = false;
            for (int e = 0; e < s.values().length; e++) {
                double v = s.values()[e];
                if (!Double.isFinite(v)) { // a gap, not a drop to zero
                    penDown = false;
                    continue;
                }
                double px = axes.px(e + 1), py = axes.py(v);
                if (penDown) line.lineTo(px, py);
                else line.moveTo(px, py);
                penDown = true;
                pixels.add(new double[] {px, py});
            }
            g.setColor(color);
            g.setStroke(stroke);
            g.draw(line);
            legend.add(new Axes.Entry(s.name(), color, stroke, false));
        }
        if (bestShown) {
            for (int i = 0; i < panel.series().size(); i++) {
                double[] v = panel.series().get(i).values();
                if (bestEpoch < v.length && Double.isFinite(v[bestEpoch])) {
                    Axes.marker(g, axes.px(bestEpoch + 1), axes.py(v[bestEpoch]),
                            Canvas.PALETTE[i % Canvas.PALETTE.length]);
                }
            }
            legend.add(new Axes.Entry("best epoch (" + (bestEpoch + 1) + ")", BEST, Canvas.dashed(1.2f), true));
        }
        axes.legend(g, legend, pixels);
    }
}
