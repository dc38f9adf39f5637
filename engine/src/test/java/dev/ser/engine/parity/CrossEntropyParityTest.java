package dev.ser.engine.parity;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.tensor.Tensor;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused cross-entropy against PyTorch float64, plain and with class weights + label smoothing. */
class CrossEntropyParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"cross_entropy_plain", "cross_entropy_weighted_smoothed"})
    void lossAndGradientMatchPyTorch(String caseName) {
        SafeTensors st = ReferenceCases.load(caseName);
        Map<String, Object> c = ReferenceCases.caseOf(st);
        Tensor logits = ReferenceCases.tensor(st, "input.logits", true);
        Tensor weights = st.has("input.class_weights") ? ReferenceCases.tensor(st, "input.class_weights", false) : null;
        double smoothing = ((Number) c.get("label_smoothing")).doubleValue();
        Tensor loss = new CrossEntropy(weights, smoothing).apply(logits, st.ints("input.targets"));
        loss.backward();
        double lossErr = ReferenceCases.relError(loss.toDoubleArray(), st.doubles("output.loss"));
        double gradErr = ReferenceCases.relError(logits.grad().toDoubleArray(), st.doubles("grad.input.logits"));
        System.out.printf("%s: loss rel error %.3e, grad rel error %.3e%n", caseName, lossErr, gradErr);
        assertTrue(lossErr <= 1e-12 && gradErr <= 1e-12, caseName + ": loss " + lossErr + ", grad " + gradErr);
    }
}
