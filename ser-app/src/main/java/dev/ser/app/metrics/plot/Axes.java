package dev.ser.app.metrics.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.geom.Rectangle2D;
import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;

/**
 * A rectangle of the image mapped to data ranges: the coordinate transform, "nice" ticks (1, 2, 2.5, 5
 * times a power of ten), the grid, the frame and the axis labels. Line charts draw inside {@link #area}.
 */
final class Axes {
    final Rectangle2D area;
    final double xMin, xMax, yMin, yMax;
    final double[] xTicks, yTicks;

    Axes(Rectangle2D area, double[] xTicks, double[] yTicks) {
        this.area = area;
        this.xTicks = xTicks;
        this.yTicks = yTicks;
        this.xMin = xTicks[0];
        this.xMax = xTicks[xTicks.length - 1];
        this.yMin = yTicks[0];
        this.yMax = yTicks[yTicks.length - 1];
    }

    double px(double x) {
        return area.getX() + (x - xMin) / (xMax - xMin) * area.getWidth();
    }

    double py(double y) {
        return area.getY() + area.getHeight() - (y - yMin) / (yMax - yMin) * area.getHeight();
    }

    /**
     * Ticks covering [lo, hi], about {@code target} of them, at a nice step; the first and last tick are
     * the axis limits, so data never touches a bare edge.
     */
    static double[] niceTicks(double lo, double hi, int target) {
        if (!(hi > lo)) { // one value, or no finite data: widen around it
            double pad = lo == 0 || !Double.isFinite(lo) ? 1 : Math.abs(lo) * 0.1;
            if (!Double.isFinite(lo)) lo = 0;
            hi = lo + pad;
            lo = lo - pad;
        }
        double raw = (hi - lo) / Math.max(1, target);
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = mag * 10;
        for (double m : new double[] {1, 2, 2.5, 5}) {
            if (m * mag >= raw) {
                step = m * mag;
                break;
            }
        }
        long first = (long) Math.floor(lo / step + 1e-9), last = (long) Math.ceil(hi / step - 1e-9);
        double[] ticks = new double[(int) (last - first + 1)];
        for (int i = 0; i < ticks.length; i++) ticks[i] = (first + i) * step;
        return ticks;
    }

    /** Tick labels with as many decimals as the step needs; scientific for small steps such as learning rates. */
    static String label(double v, double step) {
        if (Math.abs(v) < step * 1e-6) return "0";
        if (step < 1e-3) {
            String s = String.format(Locale.ROOT, "%.1e", v).replace("e-0", "e-").replace("e+0", "e");
            return s.replace(".0e", "e");
        }
        // the step is m * 10^k with m in {1, 2, 2.5, 5}: three significant digits name it, whatever the rounding of m * 10^k
        int decimals = Math.max(0, new BigDecimal(step).round(new java.math.MathContext(3)).stripTrailingZeros().scale());
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    /** Grid lines, the left and bottom spines, tick labels, and the axis titles. */
    void draw(Graphics2D g, String xLabel, String yLabel) {
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        double left = area.getX(), right = area.getMaxX(), top = area.getY(), bottom = area.getMaxY();
        g.setStroke(Canvas.stroke(1f));
        double xStep = xTicks.length > 1 ? xTicks[1] - xTicks[0] : 1, yStep = yTicks.length > 1 ? yTicks[1] - yTicks[0] : 1;
        for (double t : yTicks) {
            double y = py(t);
            g.setColor(Canvas.GRID);
            g.draw(new Line2D.Double(left, y, right, y));
            g.setColor(Canvas.MUTED);
            Canvas.rightAligned(g, label(t, yStep), left - 8, y + fm.getAscent() / 2.0 - 2);
        }
        for (double t : xTicks) {
            double x = px(t);
            g.setColor(Canvas.GRID);
            g.draw(new Line2D.Double(x, top, x, bottom));
            g.setColor(Canvas.AXIS);
            g.draw(new Line2D.Double(x, bottom, x, bottom + 5));
            g.setColor(Canvas.MUTED);
            Canvas.centered(g, label(t, xStep), x, bottom + 8 + fm.getAscent());
        }
        g.setColor(Canvas.AXIS);
        g.setStroke(Canvas.stroke(1.2f));
        g.draw(new Line2D.Double(left, top, left, bottom));
        g.draw(new Line2D.Double(left, bottom, right, bottom));

        g.setColor(Canvas.TEXT);
        g.setFont(Canvas.font(Font.PLAIN, 13f));
        Canvas.centered(g, xLabel, area.getCenterX(), bottom + 42);
        int yTickWidth = 0;
        for (double t : yTicks) yTickWidth = Math.max(yTickWidth, fm.stringWidth(label(t, yStep)));
        double yTitleX = left - 18 - yTickWidth;
        Canvas.rotated(g, yLabel, yTitleX, area.getCenterY() + g.getFontMetrics().stringWidth(yLabel) / 2.0, -Math.PI / 2);
    }

    /** A legend line: a short stroke sample (dashed or solid) in the series colour, optionally with a marker dot. */
    record Entry(String name, Color color, BasicStroke stroke, boolean marker) {}

    /**
     * A boxed legend in whichever inside corner covers the fewest of {@code points} (pixel coordinates,
     * x then y), so it hides as little data as it can.
     */
    void legend(Graphics2D g, List<Entry> entries, List<double[]> points) {
        g.setFont(Canvas.font(Font.PLAIN, 12f));
        FontMetrics fm = g.getFontMetrics();
        int row = fm.getHeight() + 3, sample = 26, pad = 9;
        int textWidth = 0;
        for (Entry e : entries) textWidth = Math.max(textWidth, fm.stringWidth(e.name()));
        double w = pad * 2 + sample + 8 + textWidth, h = pad * 2 + row * entries.size() - 3;
        double[][] corners = {
                {area.getMaxX() - w - 10, area.getY() + 10}, {area.getX() + 10, area.getY() + 10},
                {area.getMaxX() - w - 10, area.getMaxY() - h - 10}, {area.getX() + 10, area.getMaxY() - h - 10}};
        double[] best = corners[0];
        int fewest = Integer.MAX_VALUE;
        for (double[] c : corners) {
            Rectangle2D box = new Rectangle2D.Double(c[0] - 4, c[1] - 4, w + 8, h + 8);
            int inside = 0;
            for (double[] p : points) if (box.contains(p[0], p[1])) inside++;
            if (inside < fewest) {
                fewest = inside;
                best = c;
            }
        }
        RoundRectangle2D box = new RoundRectangle2D.Double(best[0], best[1], w, h, 8, 8);
        g.setColor(new Color(255, 255, 255, 230));
        g.fill(box);
        g.setColor(new Color(0xcccccc));
        g.setStroke(Canvas.stroke(1f));
        g.draw(box);
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            double cy = best[1] + pad + row * i + (row - 3) / 2.0;
            double x0 = best[0] + pad;
            g.setColor(e.color());
            g.setStroke(e.stroke());
            g.draw(new Line2D.Double(x0, cy, x0 + sample, cy));
            if (e.marker()) marker(g, x0 + sample / 2.0, cy, e.color());
            g.setColor(Canvas.TEXT);
            g.drawString(e.name(), (float) (x0 + sample + 8), (float) (cy + (fm.getAscent() - fm.getDescent()) / 2.0));
        }
    }

    /** A filled dot with a white ring, visible on top of its own line. */
    static void marker(Graphics2D g, double x, double y, Color color) {
        double r = 5;
        g.setColor(Color.WHITE);
        g.fill(new Ellipse2D.Double(x - r - 1.5, y - r - 1.5, 2 * r + 3, 2 * r + 3));
        g.setColor(color);
        g.fill(new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r));
    }
}
