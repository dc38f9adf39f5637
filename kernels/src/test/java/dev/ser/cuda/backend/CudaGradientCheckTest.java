package dev.ser.cuda.backend;

import dev.ser.engine.check.BackendGradientChecks;
import dev.ser.engine.check.GradientCheck;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * float64 central differences on the CUDA backend: the device LSTM's backward through time and the fused
 * loss's gradient against the device's own forward (bar 1e-6 relative, as on the CPU).
 */
class CudaGradientCheckTest {
    static java.util.List<String> devices() { return TestBackends.names(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void lstmGradientsPassCentralDifferences(String device) {
        GradientCheck.Report r = BackendGradientChecks.lstm(TestBackends.get(device));
        System.out.println("LSTM gradient check on " + device + ": " + r);
        assertTrue(r.passed(), r.toString());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void classifierLossGradientsPassCentralDifferences(String device) {
        GradientCheck.Report r = BackendGradientChecks.classifierLoss(TestBackends.get(device));
        System.out.println("classifier loss gradient check on " + device + ": " + r);
        assertTrue(r.passed(), r.toString());
    }
}
