package dev.ser.cuda.backend;

import dev.ser.engine.parity.Comparison;
import dev.ser.engine.parity.ParityCase;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch reference cases (../shared/reference/torch, via the engine's test jar) computed on the CUDA
 * backend in float64: LSTM outputs and gradients (both implementations), cross-entropy, and whole
 * Adam/AdamW training steps with StepLR and clipping. Bar: 1e-9 relative per tensor, as on the CPU.
 */
class CudaParityTest {
    static Stream<Arguments> cases() {
        return TestBackends.names().stream().flatMap(device -> Stream.of("lstm_single_layer", "lstm_initial_state",
                "lstm_stacked_bidirectional_packed", "cross_entropy_plain", "cross_entropy_weighted_smoothed",
                "classifier_adam_steplr", "classifier_adamw_clip").map(c -> Arguments.of(device, c)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(String device, String caseName) {
        ParityCase.Result r = ParityCase.run(ReferenceCases.load(caseName), TestBackends.get(device));
        StringBuilder report = new StringBuilder(caseName + " on " + device + " (" + r.module() + "):\n");
        for (Comparison c : r.comparisons()) report.append("  ").append(c).append('\n');
        System.out.print(report);
        assertTrue(r.comparisons().size() >= 2, "too few tensors compared: " + report);
        assertTrue(r.within(1e-9), report.toString());
    }
}
