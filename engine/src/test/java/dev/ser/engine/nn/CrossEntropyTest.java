package dev.ser.engine.nn;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CrossEntropyTest {
    @Test void fusedEqualsReferenceBuiltFromLogSoftmax() {
        SplittableRandom rng = new SplittableRandom(1);
        int[] targets = {2, 0, 1, 2, 2};
        Tensor w = Tensor.of(new double[]{1.5, 0.25, 3}, 3);
        for (double smoothing : new double[]{0, 0.2}) {
            for (Tensor weights : new Tensor[]{null, w}) {
                Tensor a = Tensor.randn(DType.F64, rng, 3, 5, 3).requiresGrad(true);
                Tensor b = a.detach().copy().requiresGrad(true);
                CrossEntropy ce = new CrossEntropy(weights, smoothing);
                Tensor fused = ce.apply(a, targets), ref = ce.reference(b, targets);
                fused.backward();
                ref.backward();
                assertEquals(ref.item(), fused.item(), 1e-14);
                double[] ga = a.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
                for (int i = 0; i < ga.length; i++) assertEquals(gb[i], ga[i], 1e-14);
            }
        }
    }

    @Test void hugeLogitsStayFinite() {
        Tensor logits = Tensor.of(new double[]{1e4, -1e4, 0, 3e3}, 2, 2).requiresGrad(true);
        Tensor loss = new CrossEntropy().apply(logits, new int[]{1, 0});
        loss.backward();
        assertTrue(Double.isFinite(loss.item()));
        assertEquals((2e4 + 3e3) / 2, loss.item(), 1e-9); // -log_softmax is 2e4 for row 0 and 3e3 for row 1
    }

    @Test void badTargetsAreClearErrors() {
        Tensor logits = Tensor.zeros(DType.F32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropy().apply(logits, new int[]{0, 3}));
        assertTrue(e.getMessage().contains("target 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new CrossEntropy().apply(logits, new int[]{0}));
    }
}
