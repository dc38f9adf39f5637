package dev.ser.cuda.backend;

import dev.ser.engine.backend.AdamUpdate;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.Backend.BinaryOp;
import dev.ser.engine.backend.Backend.UnaryOp;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BiFunction;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every method of {@link Backend} on the CUDA backend against the CPU backend, on fresh random inputs,
 * in float32 (error at most 1e-5 of the tensor's scale) and float64 (1e-12): broadcasting patterns,
 * transposed and batched products, every axis of the reductions, the loss, Adam, and the LSTM forward
 * and backward (stacked, bidirectional, ragged, with initial state and dropout masks).
 */
class CudaBackendOpsTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    static List<String> devices() { return TestBackends.names(); }

    /** An operation on inputs that already live on the backend it is given. */
    private interface Op extends BiFunction<Backend, List<Tensor>, Tensor[]> {}

    private record Case(String name, List<Tensor> inputs, Op op) {}

    private static double tolerance(DType dtype) { return dtype == DType.F32 ? 1e-5 : 1e-12; }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void everyOperationMatchesTheCpu(String device) {
        CudaBackend gpu = TestBackends.get(device);
        List<String> failures = new ArrayList<>();
        for (DType dtype : DType.values()) {
            for (Case c : cases(dtype, new SplittableRandom(7))) {
                Tensor[] expected = c.op.apply(CPU, c.inputs);
                List<Tensor> moved = new ArrayList<>();
                for (Tensor t : c.inputs) moved.add(t == null ? null : t.to(gpu));
                Tensor[] actual = c.op.apply(gpu, moved);
                for (int i = 0; i < expected.length; i++) {
                    String what = dtype + " " + c.name + (expected.length > 1 ? " output " + i : "");
                    if (expected[i] == null) continue;
                    assertArrayEquals(expected[i].shape(), actual[i].shape(), what + ": shape");
                    double err = relativeError(expected[i].toDoubleArray(), actual[i].toDoubleArray());
                    if (!(err <= tolerance(dtype))) failures.add(String.format("%s: error %.3e", what, err));
                }
            }
        }
        if (!failures.isEmpty()) fail(failures.size() + " operations differ from the CPU on " + device + ":\n" + String.join("\n", failures));
    }

    /** max |a - b| / max |a| (the tensor's scale), so tiny elements do not dominate; NaN anywhere fails. */
    static double relativeError(double[] expected, double[] actual) {
        assertEquals(expected.length, actual.length);
        double scale = 0, diff = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            double d = Math.abs(expected[i] - actual[i]);
            if (Double.isNaN(d) && !(Double.isNaN(expected[i]) && Double.isNaN(actual[i]))) return Double.POSITIVE_INFINITY;
            if (!Double.isNaN(d)) diff = Math.max(diff, d);
        }
        return scale == 0 ? diff : diff / scale;
    }

    private static Tensor rand(DType dtype, SplittableRandom rng, int... shape) { return Tensor.randn(dtype, rng, 1.0, shape); }

    private static Tensor positive(DType dtype, SplittableRandom rng, int... shape) {
        return Tensor.uniform(dtype, rng, 0.5, 2.0, shape);
    }

    private static List<Case> cases(DType dt, SplittableRandom rng) {
        List<Case> cases = new ArrayList<>();
        int[][][] broadcasts = {{{3, 4}, {3, 4}}, {{3, 4}, {4}}, {{2, 1, 5}, {3, 1}}, {{1}, {2, 3}}, {{5, 1}, {1, 6}}, {{1000}, {1000}}};
        for (BinaryOp op : BinaryOp.values())
            for (int[][] s : broadcasts)
                cases.add(new Case(op + " " + java.util.Arrays.toString(s[0]) + " " + java.util.Arrays.toString(s[1]),
                        List.of(rand(dt, rng, s[0]), op == BinaryOp.DIV ? positive(dt, rng, s[1]) : rand(dt, rng, s[1])),
                        (b, in) -> new Tensor[]{b.binary(op, in.get(0), in.get(1))}));
        cases.add(new Case("affine", List.of(rand(dt, rng, 33)), (b, in) -> new Tensor[]{b.affine(in.get(0), -1.5, 0.25)}));
        cases.add(new Case("cast", List.of(rand(dt, rng, 2, 17)),
                (b, in) -> new Tensor[]{b.cast(b.cast(in.get(0), other(dt)), dt), b.cast(in.get(0), other(dt))}));
        for (UnaryOp op : UnaryOp.values()) {
            boolean pos = op == UnaryOp.LOG || op == UnaryOp.SQRT;
            cases.add(new Case(op.toString(), List.of(pos ? positive(dt, rng, 1025) : rand(dt, rng, 1025), rand(dt, rng, 1025)),
                    (b, in) -> {
                        Tensor y = b.unary(op, in.get(0));
                        return new Tensor[]{y, b.unaryGrad(op, in.get(0), y, in.get(1))};
                    }));
        }
        int[][][] reductions = {{{2, 3, 4}, {3, 1}}, {{2, 3, 4}, {4}}, {{2, 3, 4}, {1, 1, 1}}, {{2, 3}, {}}, {{4, 5}, {4, 5}}};
        for (int[][] s : reductions)
            cases.add(new Case("reduceTo " + java.util.Arrays.toString(s[0]) + " -> " + java.util.Arrays.toString(s[1]),
                    List.of(rand(dt, rng, s[0])), (b, in) -> new Tensor[]{b.reduceTo(in.get(0), s[1])}));
        cases.add(new Case("expand", List.of(rand(dt, rng, 3, 1)), (b, in) -> new Tensor[]{b.expand(in.get(0), new int[]{2, 3, 4})}));
        int[][][] products = {{{4, 5}, {5, 3}}, {{2, 4, 5}, {2, 5, 3}}, {{2, 4, 5}, {5, 3}}, {{1, 4, 5}, {3, 5, 3}},
                {{2, 1, 4, 5}, {1, 3, 5, 6}}, {{33, 70}, {70, 65}}};
        for (int[][] s : products)
            for (boolean ta : new boolean[]{false, true})
                for (boolean tb : new boolean[]{false, true}) {
                    int[] sa = ta ? swapLast(s[0]) : s[0], sb = tb ? swapLast(s[1]) : s[1];
                    cases.add(new Case("matmul " + java.util.Arrays.toString(sa) + (ta ? "^T" : "") + " x " + java.util.Arrays.toString(sb) + (tb ? "^T" : ""),
                            List.of(rand(dt, rng, sa), rand(dt, rng, sb)), (b, in) -> new Tensor[]{b.matmul(in.get(0), in.get(1), ta, tb)}));
                }
        for (int[] shape : new int[][]{{3, 5, 7}, {2, 1025}, {4097}})
            for (int axis = 0; axis < shape.length; axis++) {
                int ax = axis;
                String where = java.util.Arrays.toString(shape) + " axis " + axis;
                cases.add(new Case("sum/max " + where, List.of(rand(dt, rng, shape)),
                        (b, in) -> new Tensor[]{b.sum(in.get(0), ax, true), b.sum(in.get(0), ax, false), b.max(in.get(0), ax)}));
                cases.add(new Case("softmax " + where, List.of(rand(dt, rng, shape), rand(dt, rng, shape)), (b, in) -> {
                    Tensor y = b.softmax(in.get(0), ax), ly = b.logSoftmax(in.get(0), ax);
                    return new Tensor[]{y, ly, b.softmaxGrad(y, in.get(1), ax), b.logSoftmaxGrad(ly, in.get(1), ax)};
                }));
            }
        cases.add(new Case("permute", List.of(rand(dt, rng, 2, 3, 4)), (b, in) -> new Tensor[]{b.permute(in.get(0), new int[]{2, 0, 1})}));
        cases.add(new Case("slice/unslice", List.of(rand(dt, rng, 2, 4, 3)), (b, in) -> {
            Tensor s = b.slice(in.get(0), 1, 1, 3);
            return new Tensor[]{s, b.unslice(s, new int[]{2, 4, 3}, 1, 1)};
        }));
        cases.add(new Case("concat", List.of(rand(dt, rng, 2, 1, 3), rand(dt, rng, 2, 4, 3), rand(dt, rng, 2, 2, 3)),
                (b, in) -> new Tensor[]{b.concat(in, 1), b.concat(List.of(in.get(1), in.get(1)), 2)}));
        int[] targets = {0, 4, 2, 2, 1, 3};
        cases.add(new Case("cross-entropy", List.of(rand(dt, rng, 6, 5), positive(dt, rng, 5)), (b, in) -> {
            Tensor[] plain = b.softmaxCrossEntropy(in.get(0), targets, null, 0);
            Tensor[] weighted = b.softmaxCrossEntropy(in.get(0), targets, in.get(1), 0.1);
            return new Tensor[]{plain[0], plain[1], weighted[0], weighted[1]};
        }));
        cases.add(new Case("squared norm and scale", List.of(rand(dt, rng, 3001)), (b, in) -> {
            Tensor t = b.copy(in.get(0));
            b.scaleInPlace(t, 0.37);
            return new Tensor[]{Tensor.scalar(DType.F64, b.squaredNorm(in.get(0))), t};
        }));
        for (boolean amsgrad : new boolean[]{false, true})
            cases.add(new Case("adam" + (amsgrad ? " amsgrad" : ""),
                    List.of(rand(dt, rng, 257), rand(dt, rng, 257), rand(dt, rng, 257), positive(dt, rng, 257), positive(dt, rng, 257)),
                    (b, in) -> {
                        Tensor p = b.copy(in.get(0)), m = b.copy(in.get(2)), v = b.copy(in.get(3)), vmax = amsgrad ? b.copy(in.get(4)) : null;
                        b.adamUpdate(new AdamUpdate(0.9, 0.999, 1e-8, 1 - 1e-3 * 0.01, 0.0, 1e-3 / (1 - 0.9 * 0.9), Math.sqrt(1 - 0.999 * 0.999)),
                                p, in.get(1), m, v, vmax);
                        return new Tensor[]{p, m, v, vmax};
                    }));
        cases.add(lstmCase(dt, rng, new LstmConfig(5, 4, 2, true), 3, 6, new int[]{6, 2, 5}, true));
        cases.add(lstmCase(dt, rng, new LstmConfig(3, 33, 1, false), 2, 4, null, false));
        return cases;
    }

    /** Forward and backward of a whole LSTM: y, h_n, c_n, then dx, dh0, dc0 and every weight gradient. */
    private static Case lstmCase(DType dt, SplittableRandom rng, LstmConfig config, int batch, int steps, int[] lengths, boolean stateAndMasks) {
        List<Tensor> inputs = new ArrayList<>();
        for (int i = 0; i < config.numWeights(); i++) inputs.add(Tensor.uniform(dt, rng, -0.5, 0.5, config.weightShape(i)));
        int[] state = {config.numLayers() * config.numDirections(), batch, config.hiddenSize()};
        int[] out = {batch, steps, config.outputSize()};
        inputs.add(rand(dt, rng, batch, steps, config.inputSize()));
        inputs.add(stateAndMasks ? rand(dt, rng, state) : null);
        inputs.add(stateAndMasks ? rand(dt, rng, state) : null);
        inputs.add(rand(dt, rng, out));
        inputs.add(rand(dt, rng, state));
        inputs.add(rand(dt, rng, state));
        Tensor mask = Tensor.of(dt, maskValues(rng, batch * steps * config.outputSize()), out);
        inputs.add(stateAndMasks && config.numLayers() > 1 ? mask : null);
        int w = config.numWeights();
        return new Case("lstm " + config + (lengths == null ? "" : " lengths " + java.util.Arrays.toString(lengths)), inputs, (b, in) -> {
            List<Tensor> weights = in.subList(0, w);
            Tensor x = in.get(w), h0 = in.get(w + 1), c0 = in.get(w + 2), dy = in.get(w + 3), dhN = in.get(w + 4), dcN = in.get(w + 5);
            List<Tensor> masks = in.get(w + 6) == null ? List.of() : List.of(in.get(w + 6));
            LstmPass pass = b.lstm(config, LstmAlgorithm.CELL, weights, x, lengths, h0, c0, masks, true);
            Tensor dx = b.zeros(dt, x.shape()), dh0 = b.zeros(dt, state), dc0 = b.zeros(dt, state);
            List<Tensor> grads = new ArrayList<>();
            for (Tensor t : weights) grads.add(b.zeros(dt, t.shape()));
            pass.backward().run(dy, dhN, dcN, dx, dh0, dc0, grads);
            LstmPass inference = b.lstm(config, LstmAlgorithm.CELL, weights, x, lengths, h0, c0, masks, false);
            List<Tensor> outs = new ArrayList<>(List.of(pass.y(), pass.hN(), pass.cN(), dx, dh0, dc0, inference.y()));
            outs.addAll(grads);
            return outs.toArray(Tensor[]::new);
        });
    }

    private static double[] maskValues(SplittableRandom rng, int n) {
        double[] m = new double[n];
        for (int i = 0; i < n; i++) m[i] = rng.nextDouble() < 0.3 ? 0 : 1 / 0.7;
        return m;
    }

    private static DType other(DType d) { return d == DType.F32 ? DType.F64 : DType.F32; }

    private static int[] swapLast(int[] s) {
        int[] t = s.clone();
        t[t.length - 1] = s[s.length - 2];
        t[t.length - 2] = s[s.length - 1];
        return t;
    }
}
