package dev.ser.engine.check;

import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.Dense;
import dev.ser.engine.nn.Dropout;
import dev.ser.engine.nn.Masking;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.ops.MatMul;
import dev.ser.engine.ops.Reshape;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Central-difference checks of every op and layer except the LSTM (LstmGradientCheckTest). Bar: 1e-6 relative. */
class OpsGradientCheckTest {
    private final SplittableRandom rng = new SplittableRandom(7);

    private Tensor var(String name, int... shape) {
        return Tensor.randn(DType.F64, rng, 1, shape).requiresGrad(true).name(name);
    }

    /** A fixed random projection makes the loss sensitive to every output element with distinct weights. */
    private Tensor weighted(Tensor out) {
        Tensor r = Tensor.randn(DType.F64, new SplittableRandom(out.numel()), 1, out.shape());
        return out.mul(r).sum();
    }

    private static void assertPasses(String what, Supplier<Tensor> loss, Tensor... inputs) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        for (Tensor t : inputs) named.put(t.name(), t);
        GradientCheck.Report r = GradientCheck.check(loss, named);
        System.out.println(what + ": " + r);
        assertTrue(r.passed(), what + ": " + r);
    }

    @Test void elementwiseWithBroadcasting() {
        Tensor a = var("a", 3, 4), b = var("b", 4), c = var("c", 3, 1);
        Tensor pos = Tensor.uniform(DType.F64, rng, 0.5, 2, 3, 4).requiresGrad(true).name("pos");
        assertPasses("add", () -> weighted(a.add(b).add(c)), a, b, c);
        assertPasses("sub", () -> weighted(a.sub(b).sub(c)), a, b, c);
        assertPasses("mul", () -> weighted(a.mul(b).mul(c)), a, b, c);
        assertPasses("div", () -> weighted(a.div(pos).div(c.mul(c).addScalar(1))), a, pos, c);
        assertPasses("scale/addScalar", () -> weighted(a.scale(-2.5).addScalar(3)), a);
    }

    @Test void activations() {
        Tensor a = var("a", 2, 5);
        Tensor pos = Tensor.uniform(DType.F64, rng, 0.2, 3, 2, 5).requiresGrad(true).name("pos");
        // relu is checked away from its kink: differences across 0 are not derivatives
        Tensor awayFromZero = Tensor.of(new double[]{-1.5, -0.7, 0.3, 0.9, 2.2, -2.0, 1.1, -0.4, 0.6, 1.7}, 2, 5).requiresGrad(true).name("x");
        assertPasses("sigmoid", () -> weighted(a.sigmoid()), a);
        assertPasses("tanh", () -> weighted(a.tanh()), a);
        assertPasses("relu", () -> weighted(awayFromZero.relu()), awayFromZero);
        assertPasses("exp", () -> weighted(a.exp()), a);
        assertPasses("log", () -> weighted(pos.log()), pos);
    }

    @Test void matmulAllTransposesAndBatches() {
        Tensor a = var("a", 3, 4), b = var("b", 4, 5);
        Tensor at = var("at", 4, 3), bt = var("bt", 5, 4);
        Tensor batched = var("batched", 2, 3, 4), shared = var("shared", 4, 2);
        assertPasses("matmul", () -> weighted(a.matmul(b)), a, b);
        assertPasses("matmul A^T", () -> weighted(MatMul.matmul(at, b, true, false)), at, b);
        assertPasses("matmul B^T", () -> weighted(MatMul.matmul(a, bt, false, true)), a, bt);
        assertPasses("matmul A^T B^T", () -> weighted(MatMul.matmul(at, bt, true, true)), at, bt);
        assertPasses("batched matmul, broadcast B", () -> weighted(batched.matmul(shared)), batched, shared);
    }

    @Test void reductionsAndSoftmax() {
        Tensor a = var("a", 2, 3, 4);
        assertPasses("sum axis 1", () -> weighted(a.sum(1, false)), a);
        assertPasses("mean axis -1 keepdim", () -> weighted(a.mean(-1, true)), a);
        assertPasses("sum all", () -> a.mul(a).sum(), a);
        assertPasses("softmax axis 1", () -> weighted(a.softmax(1)), a);
        assertPasses("log_softmax last", () -> weighted(a.logSoftmax(-1)), a);
    }

    @Test void shapeOps() {
        Tensor a = var("a", 2, 3, 4), b = var("b", 2, 2, 4);
        assertPasses("reshape", () -> weighted(a.reshape(6, -1)), a);
        assertPasses("transpose", () -> weighted(a.transpose(0, 2)), a);
        assertPasses("permute", () -> weighted(a.permute(2, 0, 1)), a);
        assertPasses("slice", () -> weighted(a.slice(1, 1, 3)), a);
        assertPasses("select", () -> weighted(Reshape.select(a, 2, 3)), a);
        assertPasses("concat", () -> weighted(Reshape.concat(List.of(a, b), 1)), a, b);
        assertPasses("stack", () -> weighted(Reshape.stack(List.of(a, a.scale(2)), 0)), a);
    }

    @Test void dropoutAndMasking() {
        Tensor a = var("a", 2, 5, 3);
        assertPasses("dropout (seeded)", () -> weighted(Dropout.apply(a, 0.4, true, new SplittableRandom(3))), a);
        assertPasses("masking", () -> weighted(Masking.apply(a, new int[]{5, 2})), a);
    }

    @Test void denseLayer() {
        Dense d = new Dense(4, 3, DType.F64, rng);
        Tensor x = var("x", 2, 5, 4);
        assertPasses("dense", () -> weighted(d.forward(x)), x, d.weight(), d.bias());
    }

    @Test void crossEntropyFusedWithWeightsAndSmoothing() {
        Tensor logits = var("logits", 6, 4);
        int[] targets = {0, 3, 1, 1, 2, 3};
        Tensor w = Tensor.of(new double[]{0.5, 2.0, 1.0, 1.5}, 4);
        assertPasses("cross-entropy", () -> new CrossEntropy().apply(logits, targets), logits);
        assertPasses("cross-entropy weighted, smoothed", () -> new CrossEntropy(w, 0.1).apply(logits, targets), logits);
    }

    @Test void pooling() {
        int[] lengths = {4, 1, 3};
        Tensor x = var("x", 3, 4, 5);
        for (Pooling.Kind kind : Pooling.Kind.values()) {
            Pooling p = new Pooling(kind, 5, DType.F64, new SplittableRandom(11));
            Tensor[] inputs = kind == Pooling.Kind.ATTENTION
                    ? new Tensor[]{x, p.namedParameters().get("score.weight"), p.namedParameters().get("score.bias")}
                    : new Tensor[]{x};
            for (Map.Entry<String, Tensor> e : p.namedParameters().entrySet()) e.getValue().name(e.getKey());
            assertPasses("pooling " + kind, () -> weighted(p.forward(x, lengths)), inputs);
        }
    }
}
