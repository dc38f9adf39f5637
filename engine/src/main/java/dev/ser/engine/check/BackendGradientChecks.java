package dev.ser.engine.check;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.LSTM;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Gradient checks (float64 central differences, {@link GradientCheck}) run on any backend: the inputs and
 * parameters live on {@code backend}, so the analytic gradients are that backend's kernels (the CUDA
 * LSTM's backward through time, its fused loss) and the numeric ones are its forward. On the CPU this
 * repeats the engine's own checks; on a GPU it is the proof that the GPU's gradients are right on their
 * own, not only close to the CPU's.
 */
public final class BackendGradientChecks {
    private BackendGradientChecks() {}

    /** A 2-layer bidirectional LSTM with ragged lengths, initial state and dropout between the layers: every element. */
    public static GradientCheck.Report lstm(Backend backend) {
        SplittableRandom rng = new SplittableRandom(5);
        LSTM lstm = new LSTM(3, 4, 2, true, 0.25, DType.F64, new SplittableRandom(17));
        lstm.moveTo(backend);
        int[] lengths = {5, 2, 4};
        Tensor x = leaf(backend, Tensor.randn(DType.F64, rng, 1, 3, 5, 3), "x");
        Tensor h0 = leaf(backend, Tensor.randn(DType.F64, rng, 0.5, 4, 3, 4), "h0");
        Tensor c0 = leaf(backend, Tensor.randn(DType.F64, rng, 0.5, 4, 3, 4), "c0");
        Tensor ry = Tensor.randn(DType.F64, rng, 1, 3, 5, 8).to(backend);
        Tensor rh = Tensor.randn(DType.F64, rng, 1, 4, 3, 4).to(backend), rc = Tensor.randn(DType.F64, rng, 1, 4, 3, 4).to(backend);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.put("h0", h0);
        inputs.put("c0", c0);
        inputs.putAll(lstm.namedParameters());
        return GradientCheck.check(() -> {
            lstm.seedDropout(3); // the same masks for every evaluation
            LSTM.Output o = lstm.forward(x, lengths, h0, c0);
            return o.y().mul(ry).sum().add(o.hN().mul(rh).sum()).add(o.cN().mul(rc).sum());
        }, inputs);
    }

    /**
     * The SER classifier's loss end to end (LSTM, attention pooling, dense head, weighted and
     * label-smoothed cross-entropy): the gradient of every parameter and of the input features.
     */
    public static GradientCheck.Report classifierLoss(Backend backend) {
        SplittableRandom rng = new SplittableRandom(9);
        SequenceClassifier model = new SequenceClassifier(
                new SequenceClassifier.Config(3, 3, 1, true, 0, Pooling.Kind.ATTENTION, List.of(4), 3), DType.F64, 21);
        model.moveTo(backend);
        model.train(false); // no dropout: the function must be deterministic
        int[] lengths = {4, 2}, targets = {2, 0};
        Tensor x = leaf(backend, Tensor.randn(DType.F64, rng, 1, 2, 4, 3), "x");
        CrossEntropy loss = new CrossEntropy(Tensor.of(DType.F64, new double[]{1.0, 0.5, 2.0}, 3).to(backend), 0.1);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.putAll(model.namedParameters());
        return GradientCheck.check(() -> loss.apply(model.forward(x, lengths), targets), inputs);
    }

    private static Tensor leaf(Backend backend, Tensor host, String name) {
        return host.to(backend).requiresGrad(true).name(name);
    }
}
