package dev.ser.app.metrics.plot;

import dev.ser.app.metrics.RocAuc;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** ROC curves (one per class, or the valence curve) on a square plot with the chance diagonal and each AUC in the legend. */
public final class RocPlot {
    private RocPlot() {}

    public static final int WIDTH = 640, HEIGHT = 620;

    public static void write(Path png, Map<String, RocAuc.Curve> curves, String title) {
        Canvas.writePng(render(curves, title), png);
    }

    /** @param curves legend name to curve, drawn in iteration order (pass a LinkedHashMap) */
    public static BufferedImage render(Map<String, RocAuc.Curve> curves, String title) {
        BufferedImage img = Canvas.image(WIDTH, HEIGHT);
        Graphics2D g = Canvas.begin(img);
        Canvas.title(g, title, WIDTH, 36);
        double side = HEIGHT - 60 - 74;
        Rectangle2D area = new Rectangle2D.Double(84 + (WIDTH - 84 - 30 - side) / 2, 60, side, side);
        double[] ticks = {0, 0.2, 0.4, 0.6, 0.8, 1.0};
        Axes axes = new Axes(area, ticks, ticks);
        axes.draw(g, "False positive rate", "True positive rate");
        g.setColor(new Color(0x999999));
        g.setStroke(Canvas.dashed(1.2f));
        g.draw(new Line2D.Double(axes.px(0), axes.py(0), axes.px(1), axes.py(1)));

        List<Axes.Entry> legend = new ArrayList<>();
        List<double[]> pixels = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, RocAuc.Curve> e : curves.entrySet()) {
            RocAuc.Curve c = e.getValue();
            Color color = Canvas.PALETTE[i++ % Canvas.PALETTE.length];
            Path2D line = new Path2D.Double();
            for (int k = 0; k < c.size(); k++) {
                double px = axes.px(c.fpr()[k]), py = axes.py(c.tpr()[k]);
                if (k == 0) line.moveTo(px, py);
                else line.lineTo(px, py);
                pixels.add(new double[] {px, py});
            }
            g.setColor(color);
            g.setStroke(Canvas.stroke(2.2f));
            g.draw(line);
            legend.add(new Axes.Entry(String.format(Locale.ROOT, "%s (AUC %.3f)", e.getKey(), RocAuc.area(c)),
                    color, Canvas.stroke(2.2f), false));
        }
        legend.add(new Axes.Entry("chance (AUC 0.500)", new Color(0x999999), Canvas.dashed(1.2f), false));
        axes.legend(g, legend, pixels);
        g.dispose();
        return img;
    }
}
