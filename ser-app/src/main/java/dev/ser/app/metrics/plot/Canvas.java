package dev.ser.app.metrics.plot;

import dev.ser.engine.io.AtomicFiles;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The shared look of every chart: a white RGB image, antialiased drawing, one font family, one palette, PNG out. */
final class Canvas {
    static {
        // Training runs on servers with no display; AWT must not try to open one. Set before any AWT class loads a toolkit.
        System.setProperty("java.awt.headless", "true");
    }

    static final Color TEXT = new Color(0x222222);
    static final Color MUTED = new Color(0x666666);
    static final Color AXIS = new Color(0x444444);
    static final Color GRID = new Color(0xe6e6e6);
    /** matplotlib's tab10: distinguishable, and familiar to anyone who has read a training plot. */
    static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Canvas() {}

    static BufferedImage image(int width, int height) {
        return new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    }

    /** A Graphics2D on a white background with antialiased shapes and text. */
    static Graphics2D begin(BufferedImage img) {
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        return g;
    }

    /** SansSerif maps to DejaVu Sans on Debian and to Arial/Helvetica elsewhere: present everywhere a JDK runs. */
    static Font font(int style, float size) {
        return new Font(Font.SANS_SERIF, style, 1).deriveFont(style, size);
    }

    static BasicStroke stroke(float width) {
        return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    }

    static BasicStroke dashed(float width) {
        return new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f, new float[] {6f, 4f}, 0f);
    }

    /** Draws {@code s} horizontally centred on {@code cx}, with its baseline at {@code y}. */
    static void centered(Graphics2D g, String s, double cx, double y) {
        g.drawString(s, (float) (cx - g.getFontMetrics().stringWidth(s) / 2.0), (float) y);
    }

    /** Text centred vertically on {@code cy}: the baseline sits half the cap height below it. */
    static void centeredBoth(Graphics2D g, String s, double cx, double cy) {
        FontMetrics fm = g.getFontMetrics();
        centered(g, s, cx, cy + (fm.getAscent() - fm.getDescent()) / 2.0);
    }

    static void rightAligned(Graphics2D g, String s, double right, double y) {
        g.drawString(s, (float) (right - g.getFontMetrics().stringWidth(s)), (float) y);
    }

    /** Draws {@code s} rotated by {@code radians} about (x, y), the start of its baseline. */
    static void rotated(Graphics2D g, String s, double x, double y, double radians) {
        AffineTransform saved = g.getTransform();
        g.rotate(radians, x, y);
        g.drawString(s, (float) x, (float) y);
        g.setTransform(saved);
    }

    /**
     * The chart title, centred at the top, bold; where it would not fit between 16-pixel margins, smaller (down to
     * 12 pt), then shortened in the middle ("Evaluation of a.safetensors on […]split.json)"): a path's two ends say
     * the most.
     */
    static void title(Graphics2D g, String title, int width, int baseline) {
        g.setColor(TEXT);
        float size = 19f;
        g.setFont(font(Font.BOLD, size));
        int room = width - 32;
        while (size > 12f && g.getFontMetrics().stringWidth(title) > room) g.setFont(font(Font.BOLD, size -= 1f));
        centered(g, shortened(g, title, room), width / 2.0, baseline);
    }

    /** {@code text}, or its two ends around "…", whichever is the longest to fit {@code room} pixels in g's font. */
    static String shortened(Graphics2D g, String text, int room) {
        String shown = text;
        for (int cut = 1; g.getFontMetrics().stringWidth(shown) > room && cut < text.length(); cut++) {
            int keep = text.length() - cut, head = (keep + 1) / 2;
            shown = text.substring(0, head) + "…" + text.substring(text.length() - (keep - head));
        }
        return shown;
    }

    static void writePng(BufferedImage img, Path file) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            if (!ImageIO.write(img, "png", bytes)) throw new IllegalStateException("this JDK has no PNG writer in javax.imageio");
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            AtomicFiles.write(file, bytes.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the plot " + file + ": " + e.getMessage(), e);
        }
    }
}
