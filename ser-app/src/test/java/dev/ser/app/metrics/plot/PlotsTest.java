package dev.ser.app.metrics.plot;

import dev.ser.app.metrics.ClassificationReport;
import dev.ser.app.metrics.RocAuc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The charts land in ser-app/target/plots so a person can look at them after {@code mvn test}. Tagged: the GPU check's
 * Java runtime has no java.desktop (it must travel in 64 MiB, scripts/gpu-pack-project.sh), so it leaves these out.
 */
@Tag("plots")
class PlotsTest {
    static final Path OUT = Path.of("target", "plots");
    static final List<String> LABELS =
            List.of("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised");

    /** Every row sums to 40, so a larger count is a larger share of its row, and the colour must be darker everywhere. */
    static final int[][] CM = {
            {31, 4, 1, 2, 0, 0, 1, 1},
            {6, 30, 0, 3, 0, 0, 1, 0},
            {1, 0, 26, 0, 4, 3, 1, 5},
            {3, 5, 0, 24, 0, 6, 2, 0},
            {0, 0, 3, 0, 33, 1, 3, 0},
            {1, 0, 3, 8, 2, 20, 2, 4},
            {2, 1, 0, 3, 5, 1, 28, 0},
            {0, 0, 6, 0, 1, 3, 0, 30}};

    @Test
    void confusionMatrixIsAPngWhoseCellsDarkenWithCount() throws IOException {
        ClassificationReport report = ClassificationReport.of(trueOf(CM), predOf(CM), LABELS);
        assertArrayEquals(CM, report.confusionMatrix());
        Path png = OUT.resolve("confusion_matrix.png");
        ConfusionMatrixPlot.write(png, report, "RAVDESS (synthetic) — confusion matrix");
        BufferedImage img = readPng(png, ConfusionMatrixPlot.WIDTH, ConfusionMatrixPlot.HEIGHT);

        ConfusionMatrixPlot.Layout at = ConfusionMatrixPlot.layout(Canvas.begin(Canvas.image(1, 1)), LABELS);
        assertTrue(at.cell() >= 40, "cells of " + at.cell() + " px are too small to read");
        List<int[]> cells = new ArrayList<>(); // {count, luminance}
        for (int i = 0; i < CM.length; i++) {
            for (int j = 0; j < CM.length; j++) {
                // A corner pixel: the centre holds the text.
                int rgb = img.getRGB((int) (at.x() + j * at.cell() + 4), (int) (at.y() + i * at.cell() + 4));
                cells.add(new int[] {CM[i][j], luminance(rgb)});
            }
        }
        for (int[] a : cells) {
            for (int[] b : cells) {
                if (a[0] > b[0]) assertTrue(a[1] < b[1], "count " + a[0] + " has luminance " + a[1]
                        + ", not darker than count " + b[0] + " at " + b[1]);
            }
        }
    }

    @Test
    void confusionMatrixWithAClassAbsentFromYTrueDrawsAGreyRow() throws IOException {
        // The ClassificationReportTest case: 'angry' never predicted, 'fearful' never true.
        ClassificationReport report = ClassificationReport.of(new int[] {0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3},
                new int[] {0, 1, 0, 1, 1, 2, 1, 2, 0, 2, 4, 0}, List.of("neutral", "happy", "sad", "angry", "fearful"));
        Path png = OUT.resolve("confusion_matrix_absent_class.png");
        ConfusionMatrixPlot.write(png, report, "Absent class (zero_division case)");
        BufferedImage img = readPng(png, ConfusionMatrixPlot.WIDTH, ConfusionMatrixPlot.HEIGHT);
        ConfusionMatrixPlot.Layout at = ConfusionMatrixPlot.layout(Canvas.begin(Canvas.image(1, 1)), report.labels());
        int greyRow = img.getRGB((int) (at.x() + 4), (int) (at.y() + 4 * at.cell() + 4));
        assertEquals(0xf0f0f0, greyRow & 0xffffff);
    }

    @Test
    void trainingCurvesPngHasOnePanelPerQuantity() throws IOException {
        int epochs = 40;
        double[] trainLoss = new double[epochs], valLoss = new double[epochs], trainAcc = new double[epochs],
                valAcc = new double[epochs], lr = new double[epochs];
        Random rnd = new Random(3);
        for (int e = 0; e < epochs; e++) {
            trainLoss[e] = 1.9 * Math.exp(-e / 9.0) + 0.08 + 0.02 * rnd.nextGaussian();
            valLoss[e] = 1.9 * Math.exp(-e / 8.0) + 0.45 + 0.0009 * (e - 22) * (e - 22) * (e > 22 ? 1 : 0) + 0.03 * rnd.nextGaussian();
            trainAcc[e] = 0.97 - 0.8 * Math.exp(-e / 8.0) + 0.01 * rnd.nextGaussian();
            valAcc[e] = 0.72 - 0.6 * Math.exp(-e / 7.0) + 0.015 * rnd.nextGaussian();
            // Linear warm-up for 3 epochs, then cosine decay: the schedule the trainer uses.
            lr[e] = e < 3 ? 1e-3 * (e + 1) / 3 : 0.5e-3 * (1 + Math.cos(Math.PI * (e - 3) / (epochs - 3)));
        }
        valAcc[5] = Double.NaN; // a skipped validation leaves a gap
        int best = TrainingCurvesPlot.bestEpoch(valLoss, true);
        List<TrainingCurvesPlot.Panel> panels = List.of(
                new TrainingCurvesPlot.Panel("Loss", "cross-entropy", List.of(
                        new TrainingCurvesPlot.Series("train loss", trainLoss), new TrainingCurvesPlot.Series("val loss", valLoss))),
                new TrainingCurvesPlot.Panel("Accuracy", "accuracy", List.of(
                        new TrainingCurvesPlot.Series("train acc", trainAcc), new TrainingCurvesPlot.Series("val acc", valAcc))),
                new TrainingCurvesPlot.Panel("Learning rate", "lr", List.of(new TrainingCurvesPlot.Series("lr", lr))));
        Path png = OUT.resolve("training_curves.png");
        TrainingCurvesPlot.write(png, panels, best, "LSTM on RAVDESS (synthetic curves)");
        int[] size = TrainingCurvesPlot.size(3);
        readPng(png, size[0], size[1]);
        assertArrayEquals(new int[] {1560, 436}, size);
        assertArrayEquals(new int[] {1560, 816}, TrainingCurvesPlot.size(5));
    }

    @Test
    void bestEpochSkipsNaNAndTakesTheFirstOfEqualValues() {
        assertEquals(2, TrainingCurvesPlot.bestEpoch(new double[] {0.9, Double.NaN, 0.5, 0.5, 0.7}, true));
        assertEquals(4, TrainingCurvesPlot.bestEpoch(new double[] {0.1, 0.3, Double.NaN, 0.2, 0.8}, false));
        assertEquals(-1, TrainingCurvesPlot.bestEpoch(new double[] {Double.NaN}, true));
    }

    @Test
    void rocPlotIsAPng() throws IOException {
        Random rnd = new Random(5);
        Map<String, RocAuc.Curve> curves = new LinkedHashMap<>();
        double[] separation = {2.0, 1.2, 0.6};
        String[] names = {"angry", "happy", "fearful"};
        for (int k = 0; k < names.length; k++) {
            int n = 200;
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = i % 4 == 0;
                s[i] = Math.round((rnd.nextGaussian() + (y[i] ? separation[k] : 0)) * 20) / 20.0; // rounded: ties
            }
            curves.put(names[k], RocAuc.curve(s, y));
        }
        Path png = OUT.resolve("roc.png");
        RocPlot.write(png, curves, "One-vs-rest ROC (synthetic scores)");
        readPng(png, RocPlot.WIDTH, RocPlot.HEIGHT);
    }

    @Test
    void aTitleTooLongForTheChartKeepsBothEnds() {
        java.awt.Graphics2D g = Canvas.begin(Canvas.image(640, 100));
        g.setFont(Canvas.font(java.awt.Font.BOLD, 12f));
        String title = "Evaluation of model.safetensors on [" + "/very/long/corpus/path".repeat(10) + "] (test part of runs/a/split.json)";
        String shown = Canvas.shortened(g, title, 608);
        assertTrue(g.getFontMetrics().stringWidth(shown) <= 608, shown);
        assertTrue(shown.startsWith("Evaluation of model.safetensors on [") && shown.endsWith("runs/a/split.json)") && shown.contains("…"), shown);
        assertEquals("short", Canvas.shortened(g, "short", 608));
    }

    @Test
    void niceTicksCoverTheDataAtARoundStep() {
        assertArrayEquals(new double[] {0, 0.5, 1, 1.5, 2, 2.5}, Axes.niceTicks(0.08, 2.3, 5), 1e-12);
        assertArrayEquals(new double[] {0, 2e-4, 4e-4, 6e-4, 8e-4, 1e-3}, Axes.niceTicks(0, 1e-3, 5), 1e-15);
        assertEquals("4e-4", Axes.label(4e-4, 2e-4));
        assertEquals("0.25", Axes.label(0.25, 0.05));
        assertEquals("10", Axes.label(10, 5));
    }

    /** Checks the PNG signature, decodes the file and checks its size. */
    static BufferedImage readPng(Path png, int width, int height) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        byte[] signature = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        for (int i = 0; i < signature.length; i++) assertEquals(signature[i], bytes[i], "PNG signature byte " + i);
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(width, img.getWidth());
        assertEquals(height, img.getHeight());
        return img;
    }

    static int luminance(int rgb) {
        Color c = new Color(rgb);
        return (int) Math.round(0.2126 * c.getRed() + 0.7152 * c.getGreen() + 0.0722 * c.getBlue());
    }

    static int[] trueOf(int[][] cm) {
        List<Integer> y = new ArrayList<>();
        for (int i = 0; i < cm.length; i++) for (int j = 0; j < cm.length; j++) for (int n = 0; n < cm[i][j]; n++) y.add(i);
        return y.stream().mapToInt(Integer::intValue).toArray();
    }

    static int[] predOf(int[][] cm) {
        List<Integer> y = new ArrayList<>();
        for (int[] row : cm) for (int j = 0; j < cm.length; j++) for (int n = 0; n < row[j]; n++) y.add(j);
        return y.stream().mapToInt(Integer::intValue).toArray();
    }
}
