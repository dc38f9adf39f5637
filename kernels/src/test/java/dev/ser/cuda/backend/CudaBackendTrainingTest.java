package dev.ser.cuda.backend;

import dev.ser.engine.check.BackendAgreement;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole training steps on the CUDA backend equal the CPU's (engine's {@link BackendAgreement}: the same
 * model, data, dropout masks and optimizer, compared after every step). float64 agrees to rounding;
 * float32 to what three steps of AdamW make of 1e-7 rounding differences in the gradients, except where the
 * gradient is zero in exact arithmetic ({@link BackendAgreement#ZERO_GRADIENT}: rounding noise there is Adam-sized).
 */
class CudaBackendTrainingTest {
    static java.util.List<String> devices() { return TestBackends.names(); }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void threeTrainingStepsMatchTheCpu(String device) {
        CudaBackend gpu = TestBackends.get(device);
        for (Pooling.Kind pooling : Pooling.Kind.values()) {
            BackendAgreement.Report f64 = BackendAgreement.trainingSteps(gpu, DType.F64, pooling, 3, 11);
            assertTrue(f64.worst() <= 1e-10, "F64 " + pooling + " on " + device + ": " + f64);
            BackendAgreement.Report f32 = BackendAgreement.trainingSteps(gpu, DType.F32, pooling, 3, 11);
            assertTrue(f32.worstExcept(BackendAgreement.ZERO_GRADIENT) <= 1e-4, "F32 " + pooling + " on " + device + ": " + f32);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void withConvolutionsBeforeTheLstm(String device) {
        CudaBackend gpu = TestBackends.get(device);
        SequenceClassifier.Config conv = BackendAgreement.model(Pooling.Kind.ATTENTION).withConv(java.util.List.of(5), 3, 2);
        BackendAgreement.Report f64 = BackendAgreement.trainingSteps(gpu, DType.F64, conv, 3, 11);
        assertTrue(f64.worst() <= 1e-10, "F64 conv on " + device + ": " + f64);
        BackendAgreement.Report f32 = BackendAgreement.trainingSteps(gpu, DType.F32, conv, 3, 11);
        assertTrue(f32.worstExcept(BackendAgreement.ZERO_GRADIENT) <= 1e-4, "F32 conv on " + device + ": " + f32);
    }
}
