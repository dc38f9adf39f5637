package dev.ser.engine.nn;

import dev.ser.engine.check.BackendAgreement;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Why {@link BackendAgreement#ZERO_GRADIENT} holds the attention score's bias: softmax ignores a shift of every score. */
class AttentionPoolingTest {
    @Test void theScoreBiasGetsNoGradient() {
        SplittableRandom rng = new SplittableRandom(3);
        Pooling pool = new Pooling(Pooling.Kind.ATTENTION, 5, DType.F64, new SplittableRandom(8));
        Tensor x = Tensor.randn(DType.F64, rng, 1, 3, 7, 5).requiresGrad(true);
        Tensor r = Tensor.randn(DType.F64, rng, 1, 3, 5);
        pool.forward(x, new int[]{7, 3, 5}).mul(r).sum().backward();
        double bias = Math.abs(pool.namedParameters().get("score.bias").grad().item());
        double weight = 0;
        for (double g : pool.namedParameters().get("score.weight").grad().toDoubleArray()) weight = Math.max(weight, Math.abs(g));
        assertTrue(bias < 1e-15 && weight > 1e-3, "bias gradient " + bias + " (rounding), weight gradient up to " + weight);
        assertTrue(BackendAgreement.ZERO_GRADIENT.contains("pool.score.bias"));
    }
}
