package dev.ser.cuda.backend;

import dev.ser.engine.parity.Comparison;
import dev.ser.engine.parity.ParityCase;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch LSTM reference cases (../shared/reference/torch, via the engine's test jar) computed with the
 * LSTM in cuDNN ({@link CudnnLstm}) among the backend's other implementations, float64. Bar: 1e-9 relative per tensor, as for the CPU
 * and for {@link CudaParityTest}. Needs a GPU and cuDNN 9: skipped with the reason elsewhere.
 */
class CudnnParityTest {
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lstm_single_layer", "lstm_initial_state", "lstm_stacked_bidirectional_packed"})
    void matchesPyTorch(String caseName) {
        CudaBackend gpu = TestBackends.get("cuda");
        if (!gpu.cudnnAvailable()) Assumptions.abort("no cuDNN: " + gpu.cudnnMissing());
        ParityCase.Result r = ParityCase.run(ReferenceCases.load(caseName), gpu); // LSTM cases run every implementation the backend has
        StringBuilder report = new StringBuilder(caseName + " on " + gpu.name() + " (" + r.module() + "):\n");
        for (Comparison c : r.comparisons()) report.append("  ").append(c).append('\n');
        System.out.print(report);
        assertTrue(r.comparisons().stream().anyMatch(c -> c.name().endsWith("[cudnn]")), "no tensor went through cuDNN: " + report);
        assertTrue(r.within(1e-9), report.toString());
    }
}
