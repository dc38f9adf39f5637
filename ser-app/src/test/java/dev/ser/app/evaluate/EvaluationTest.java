package dev.ser.app.evaluate;

import dev.ser.app.metrics.RocAuc;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EvaluationTest {
    static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry");

    /** Six clips; nobody is truly "angry", so that class has no curve (and no AUC). */
    static Evaluation sample() {
        int[] yTrue = {0, 1, 1, 2, 2, 0};
        float[][] p = {
                {0.7f, 0.1f, 0.1f, 0.1f},
                {0.2f, 0.5f, 0.2f, 0.1f},
                {0.1f, 0.3f, 0.4f, 0.2f},
                {0.1f, 0.2f, 0.6f, 0.1f},
                {0.3f, 0.4f, 0.2f, 0.1f},
                {0.4f, 0.3f, 0.2f, 0.1f}};
        return Evaluation.of(List.of("a", "b", "c", "d", "e", "f"), yTrue, p, LABELS);
    }

    @Test
    void theRocCurvesAreTheOnesBehindTheReportedAreas() {
        Evaluation e = sample();
        Map<String, RocAuc.Curve> curves = e.rocCurves();
        assertEquals(List.of("valence, positive vs negative", "neutral", "happy", "sad"), List.copyOf(curves.keySet()));
        assertEquals(e.valence().auc(), RocAuc.area(curves.get("valence, positive vs negative")), 1e-12);
        for (int k = 0; k < 3; k++) assertEquals(e.oneVsRest().auc()[k], RocAuc.area(curves.get(LABELS.get(k))), 1e-12, LABELS.get(k));
        assertTrue(Double.isNaN(e.oneVsRest().auc()[3]));
    }

    @Test
    @Tag("plots")
    void writesTheReportsAndBothCharts(@TempDir Path dir) throws IOException {
        String text = sample().write(dir, "test", "Six clips");
        for (String file : List.of("test.json", "test.txt", "test-confusion.png", "test-roc.png"))
            assertTrue(Files.size(dir.resolve(file)) > 0, file);
        assertTrue(Files.readString(dir.resolve("test.txt")).endsWith(text));
    }
}
