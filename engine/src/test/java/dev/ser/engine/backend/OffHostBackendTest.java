package dev.ser.engine.backend;

import dev.ser.engine.check.BackendAgreement;
import dev.ser.engine.check.BackendGradientChecks;
import dev.ser.engine.check.GradientCheck;
import dev.ser.engine.io.Checkpoint;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine is device-clean: a whole training run (LSTM, pooling, dense, loss, clipping, AdamW) on a
 * backend whose memory is not host arrays gives the CPU's numbers exactly. A CUDA backend then needs
 * only to implement {@link Backend}; nothing above it reaches around it.
 */
class OffHostBackendTest {

    @ParameterizedTest
    @EnumSource(Pooling.Kind.class)
    void trainingOnAnotherBackendMatchesTheCpuBitForBit(Pooling.Kind pooling) {
        for (DType dtype : DType.values()) {
            BackendAgreement.Report report = BackendAgreement.trainingSteps(OffHostBackend.INSTANCE, dtype, pooling, 3, 42);
            assertEquals(0.0, report.worst(), dtype + " " + pooling + ": " + report);
            assertTrue(report.errors().containsKey("lstm.weight_hh_l1_reverse"), "every parameter is compared: " + report.errors().keySet());
        }
    }

    @Test
    void convolutionsBeforeTheLstmToo() {
        var conv = BackendAgreement.model(Pooling.Kind.ATTENTION).withConv(java.util.List.of(5), 3, 2);
        BackendAgreement.Report report = BackendAgreement.trainingSteps(OffHostBackend.INSTANCE, DType.F64, conv, 3, 42);
        assertEquals(0.0, report.worst(), report.toString());
        assertTrue(report.errors().containsKey("conv.0.weight"), "the convolution's weights are compared: " + report.errors().keySet());
    }

    @Test
    void gradientChecksRunOnAnotherBackend() {
        GradientCheck.Report lstm = BackendGradientChecks.lstm(OffHostBackend.INSTANCE);
        assertTrue(lstm.passed(), lstm.toString());
        assertTrue(lstm.checked() > 500, "every element of the LSTM's inputs and weights: " + lstm.checked());
        GradientCheck.Report loss = BackendGradientChecks.classifierLoss(OffHostBackend.INSTANCE);
        assertTrue(loss.passed(), loss.toString());
    }

    @Test
    void aCheckpointOfDeviceParametersRoundTrips(@TempDir Path dir) throws Exception {
        SequenceClassifier.Config config = new SequenceClassifier.Config(3, 4, 1, false, 0, Pooling.Kind.MEAN, List.of(), 2);
        SequenceClassifier a = new SequenceClassifier(config, DType.F32, 1), b = new SequenceClassifier(config, DType.F32, 2);
        a.moveTo(OffHostBackend.INSTANCE);
        b.moveTo(OffHostBackend.INSTANCE);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.save(file, a, null, null, null);
        Checkpoint.loadWeights(SafeTensors.read(file), b);
        for (String name : a.namedParameters().keySet()) {
            Tensor pb = b.namedParameters().get(name);
            assertEquals(OffHostBackend.INSTANCE, pb.backend(), name + " stays on its device after loading");
            assertArrayEquals(a.namedParameters().get(name).toFloatArray(), pb.toFloatArray(), name);
        }
    }

    @Test
    void mixingBackendsFailsWithAMessage() {
        Tensor host = Tensor.ones(DType.F32, 2);
        Tensor device = host.to(OffHostBackend.INSTANCE);
        assertThrows(RuntimeException.class, () -> host.add(device));
        Tensor param = Tensor.ones(DType.F32, 2).requiresGrad(true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> param.to(OffHostBackend.INSTANCE));
        assertTrue(e.getMessage().contains("moveTo"), e.getMessage());
    }
}
