package dev.ser.engine.parity;

import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every PyTorch reference case (copied from ../shared/reference/torch into test resources) through the
 * engine: LSTM outputs and gradients with both implementations, cross-entropy, and whole Adam/AdamW
 * training steps with StepLR and clipping. Bar: 1e-9 relative per tensor, in float64.
 */
class TorchParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"lstm_single_layer", "lstm_initial_state", "lstm_stacked_bidirectional_packed",
            "cross_entropy_plain", "cross_entropy_weighted_smoothed", "classifier_adam_steplr", "classifier_adamw_clip"})
    void matchesPyTorch(String caseName) {
        ParityCase.Result r = ParityCase.run(ReferenceCases.load(caseName));
        StringBuilder report = new StringBuilder(caseName + " (" + r.module() + "):\n");
        for (Comparison c : r.comparisons()) report.append("  ").append(c).append('\n');
        System.out.print(report);
        assertTrue(r.comparisons().size() >= 2, "too few tensors compared: " + report); // cross-entropy cases hold a loss and a gradient
        assertTrue(r.within(1e-9), report.toString());
    }
}
