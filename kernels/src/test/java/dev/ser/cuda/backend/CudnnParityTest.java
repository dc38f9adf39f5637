package dev.ser.cuda.backend;

import dev.ser.cuda.device.CudaException;
import dev.ser.engine.parity.Comparison;
import dev.ser.engine.parity.ParityCase;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch reference cases that contain an LSTM (../shared/reference/torch, via the engine's test jar),
 * computed with the LSTM in cuDNN ({@link CudnnLstm}), float64. Bar: 1e-9 relative per tensor, as for the CPU
 * and for {@link CudaParityTest}. Needs a GPU and cuDNN 9: skipped with the reason elsewhere.
 */
class CudnnParityTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm_single_layer", "lstm_initial_state", "lstm_stacked_bidirectional_packed",
            "classifier_adam_steplr", "classifier_adamw_clip"})
    void matchesPyTorch(String caseName) {
        CudaBackend gpu = TestBackends.get("cuda");
        try {
            gpu.cudnnLstm(true);
        } catch (CudaException | LinkageError e) {
            Assumptions.abort("no cuDNN: " + e.getMessage());
        }
        try {
            ParityCase.Result r = ParityCase.run(ReferenceCases.load(caseName), gpu);
            StringBuilder report = new StringBuilder(caseName + " on " + gpu.name() + " through cuDNN (" + r.module() + "):\n");
            for (Comparison c : r.comparisons()) report.append("  ").append(c).append('\n');
            System.out.print(report);
            assertTrue(r.comparisons().size() >= 2, "too few tensors compared: " + report);
            assertTrue(r.within(1e-9), report.toString());
        } finally {
            gpu.cudnnLstm(false);
        }
    }
}
