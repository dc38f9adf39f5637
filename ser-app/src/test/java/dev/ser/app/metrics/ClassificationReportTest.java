package dev.ser.app.metrics;

import dev.ser.engine.io.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Expected numbers come from scikit-learn 1.2.1 (Debian python3-sklearn):
 * <pre>
 * from sklearn.metrics import classification_report, confusion_matrix, recall_score
 * y_true = [0,0,0,1,1,1,1,2,2,3,3,3]; y_pred = [0,1,0,1,1,2,1,2,0,2,4,0]
 * names = ["neutral","happy","sad","angry","fearful"]
 * classification_report(y_true, y_pred, labels=[0,1,2,3,4], target_names=names, zero_division=0, output_dict=True)
 * classification_report(y_true, y_pred, labels=[0,1,2,3,4], target_names=names, zero_division=0)            # text
 * confusion_matrix(y_true, y_pred, labels=[0,1,2,3,4])
 * recall_score(y_true, y_pred, labels=[0,1,2,3,4], average="macro", zero_division=0)                         # UAR
 * </pre>
 * 'angry' (3) is never predicted (precision 0/0) and 'fearful' (4) never occurs in y_true (recall 0/0).
 */
class ClassificationReportTest {
    static final int[] Y_TRUE = {0, 0, 0, 1, 1, 1, 1, 2, 2, 3, 3, 3};
    static final int[] Y_PRED = {0, 1, 0, 1, 1, 2, 1, 2, 0, 2, 4, 0};
    static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry", "fearful");
    // sklearn prints 0.7000000000000001 where we may print 0.7: summation order; nothing here needs more than 1e-12.
    static final double TOL = 1e-12;

    @Test
    void perClassScoresMatchSklearnIncludingZeroDivision() {
        ClassificationReport r = ClassificationReport.of(Y_TRUE, Y_PRED, LABELS);
        double[][] expected = { // precision, recall, f1-score, support
                {0.5, 0.6666666666666666, 0.5714285714285715, 3},
                {0.75, 0.75, 0.75, 4},
                {0.3333333333333333, 0.5, 0.4, 2},
                {0.0, 0.0, 0.0, 3},
                {0.0, 0.0, 0.0, 0}};
        for (int k = 0; k < expected.length; k++) {
            ClassificationReport.Scores s = r.scores(k);
            assertEquals(expected[k][0], s.precision(), TOL, LABELS.get(k) + " precision");
            assertEquals(expected[k][1], s.recall(), TOL, LABELS.get(k) + " recall");
            assertEquals(expected[k][2], s.f1Score(), TOL, LABELS.get(k) + " f1-score");
            assertEquals((int) expected[k][3], s.support(), LABELS.get(k) + " support");
        }
        assertEquals(2, r.notes().size(), r.notes().toString());
        assertTrue(r.notes().get(0).contains("precision of 'angry'"), r.notes().toString());
        assertTrue(r.notes().get(1).contains("recall of 'fearful'"), r.notes().toString());
    }

    @Test
    void averagesAccuracyUarAndConfusionMatrixMatchSklearn() {
        ClassificationReport r = ClassificationReport.of(Y_TRUE, Y_PRED, LABELS);
        assertEquals(0.5, r.accuracy(), TOL);
        assertEquals(0.31666666666666665, r.macroAvg().precision(), TOL);
        assertEquals(0.3833333333333333, r.macroAvg().recall(), TOL);
        assertEquals(0.3442857142857143, r.macroAvg().f1Score(), TOL);
        assertEquals(12, r.macroAvg().support());
        assertEquals(0.4305555555555556, r.weightedAvg().precision(), TOL);
        assertEquals(0.5, r.weightedAvg().recall(), TOL);
        assertEquals(0.4595238095238095, r.weightedAvg().f1Score(), TOL);
        assertEquals(12, r.weightedAvg().support());
        assertEquals(0.3833333333333333, r.uar(), TOL);
        int[][] cm = {{2, 1, 0, 0, 0}, {0, 3, 1, 0, 0}, {1, 0, 1, 0, 0}, {1, 0, 1, 0, 1}, {0, 0, 0, 0, 0}};
        assertArrayEquals(cm, r.confusionMatrix());
    }

    @Test
    void textStartsWithSklearnsReportCharacterForCharacter() {
        String sklearn2 = "              precision    recall  f1-score   support\n\n     neutral       0.50      0.67      0.57         3\n       happy       0.75      0.75      0.75         4\n         sad       0.33      0.50      0.40         2\n       angry       0.00      0.00      0.00         3\n     fearful       0.00      0.00      0.00         0\n\n    accuracy                           0.50        12\n   macro avg       0.32      0.38      0.34        12\nweighted avg       0.43      0.50      0.46        12\n";
        String sklearn4 = "              precision    recall  f1-score   support\n\n     neutral     0.5000    0.6667    0.5714         3\n       happy     0.7500    0.7500    0.7500         4\n         sad     0.3333    0.5000    0.4000         2\n       angry     0.0000    0.0000    0.0000         3\n     fearful     0.0000    0.0000    0.0000         0\n\n    accuracy                         0.5000        12\n   macro avg     0.3167    0.3833    0.3443        12\nweighted avg     0.4306    0.5000    0.4595        12\n";
        ClassificationReport r = ClassificationReport.of(Y_TRUE, Y_PRED, LABELS);
        String text = r.toText();
        assertEquals(sklearn2, text.substring(0, sklearn2.length()), text);
        assertEquals(sklearn4, r.toText(4).substring(0, sklearn4.length()));
        assertTrue(text.contains("UAR (unweighted average recall = macro avg recall): 0.3833"), text);
        assertTrue(text.contains("        neutral  happy  sad  angry  fearful\n"
                + "neutral        2      1    0      0        0\n"), text);
    }

    @Test
    void pythonRoundingIsHalfEvenOnTheExactBinaryValue() {
        // format(0.125, '.2f') == '0.12', format(0.375, '.2f') == '0.38', format(2.675, '.2f') == '2.67' in Python.
        assertEquals("0.12", ReportText.fixed(0.125, 2));
        assertEquals("0.38", ReportText.fixed(0.375, 2));
        assertEquals("2.67", ReportText.fixed(2.675, 2));
    }

    @Test
    @SuppressWarnings("unchecked")
    void jsonHasSklearnOutputDictKeysPlusOurs() {
        Map<String, Object> parsed = Json.parseObject(Json.writePretty(ClassificationReport.of(Y_TRUE, Y_PRED, LABELS).toJson()));
        assertEquals(List.of("neutral", "happy", "sad", "angry", "fearful", "accuracy", "macro avg", "weighted avg",
                "uar", "confusion_matrix", "labels", "notes"), List.copyOf(parsed.keySet()));
        Map<String, Object> happy = (Map<String, Object>) parsed.get("happy");
        assertEquals(List.of("precision", "recall", "f1-score", "support"), List.copyOf(happy.keySet()));
        assertEquals(4L, ((Number) happy.get("support")).longValue());
        assertEquals(0.5, ((Number) parsed.get("accuracy")).doubleValue(), TOL);
        assertEquals(0.3833333333333333, ((Number) parsed.get("uar")).doubleValue(), TOL);
        assertEquals(List.of(1L, 0L, 1L, 0L, 1L), ((List<Object>) parsed.get("confusion_matrix")).get(3));
        assertEquals(LABELS, parsed.get("labels"));
    }

    @Test
    void perfectAndInvertedClassifiers() {
        // classification_report([0,1,1,2,2,2], [0,1,1,2,2,2], output_dict=True): every score 1.0.
        ClassificationReport perfect = ClassificationReport.of(new int[] {0, 1, 1, 2, 2, 2}, new int[] {0, 1, 1, 2, 2, 2}, List.of("a", "b", "c"));
        assertEquals(1.0, perfect.accuracy());
        assertEquals(1.0, perfect.uar());
        assertEquals(1.0, perfect.macroAvg().f1Score());
        assertEquals(1.0, perfect.weightedAvg().precision());
        assertTrue(perfect.notes().isEmpty());
        // classification_report([0,0,1,1], [1,1,0,0], zero_division=0, output_dict=True): every score 0.0, support 2.
        ClassificationReport inverted = ClassificationReport.of(new int[] {0, 0, 1, 1}, new int[] {1, 1, 0, 0}, List.of("neg", "pos"));
        assertEquals(0.0, inverted.accuracy());
        assertEquals(0.0, inverted.uar());
        assertEquals(0.0, inverted.macroAvg().f1Score());
        assertEquals(2, inverted.scores(1).support());
    }

    @Test
    void errorsSayWhatWasWrong() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClassificationReport.of(new int[] {0, 5}, new int[] {0, 1}, List.of("a", "b")));
        assertTrue(e.getMessage().contains("y_true[1] = 5"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ClassificationReport.of(new int[] {0}, new int[] {0, 1}, List.of("a", "b")));
        assertThrows(IllegalArgumentException.class, () -> ClassificationReport.of(new int[] {0}, new int[] {0}, List.of("a", "a")));
        assertThrows(IllegalArgumentException.class, () -> ClassificationReport.of(new int[] {0}, new int[] {0}, List.of("accuracy")));
    }
}
