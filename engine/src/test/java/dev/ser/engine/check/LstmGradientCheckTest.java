package dev.ser.engine.check;

import dev.ser.engine.nn.LSTM;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Central differences through both LSTM implementations: stacked, bidirectional, ragged lengths,
 * initial state and dropout between layers, every weight and input element. Bar: 1e-6 relative.
 */
class LstmGradientCheckTest {
    @ParameterizedTest
    @EnumSource(value = LSTM.Impl.class, names = {"REFERENCE", "FUSED"}) // the CPU's; the CUDA ones: kernels' CudaGradientCheckTest
    void stackedBidirectionalWithLengthsInitialStateAndDropout(LSTM.Impl impl) {
        SplittableRandom rng = new SplittableRandom(5);
        LSTM lstm = new LSTM(3, 4, 2, true, 0.25, DType.F64, new SplittableRandom(17)).impl(impl);
        int[] lengths = {5, 2, 4};
        Tensor x = Tensor.randn(DType.F64, rng, 1, 3, 5, 3).requiresGrad(true).name("x");
        Tensor h0 = Tensor.randn(DType.F64, rng, 0.5, 4, 3, 4).requiresGrad(true).name("h0");
        Tensor c0 = Tensor.randn(DType.F64, rng, 0.5, 4, 3, 4).requiresGrad(true).name("c0");
        Tensor ry = Tensor.randn(DType.F64, rng, 1, 3, 5, 8), rh = Tensor.randn(DType.F64, rng, 1, 4, 3, 4), rc = Tensor.randn(DType.F64, rng, 1, 4, 3, 4);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.put("h0", h0);
        inputs.put("c0", c0);
        inputs.putAll(lstm.namedParameters());
        GradientCheck.Report r = GradientCheck.check(() -> {
            lstm.seedDropout(3); // the same masks for every evaluation
            LSTM.Output o = lstm.forward(x, lengths, h0, c0);
            return o.y().mul(ry).sum().add(o.hN().mul(rh).sum()).add(o.cN().mul(rc).sum());
        }, inputs);
        System.out.println("LSTM " + impl + " gradient check: " + r);
        assertTrue(r.passed(), r.toString());
    }
}
