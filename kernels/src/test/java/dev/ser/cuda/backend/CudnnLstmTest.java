package dev.ser.cuda.backend;

import dev.ser.cuda.device.CudaException;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@link CudnnLstm} against the CPU backend (the reference) and against {@link CudaLstm}, on fresh random
 * inputs: y, h_n, c_n, dx, dh0, dc0, every weight gradient (added into nonzero gradients, as the contract
 * says) and the inference forward, in float32 (at most 1e-5 of each tensor's scale: cuDNN sums in its own
 * order and uses FMA) and float64 (1e-12). Cases: one call for a stack (stacked, bidirectional, ragged,
 * initial state), one call per layer with masks (every boundary, and one boundary without a mask), a wide
 * single layer without lengths or state. Needs a GPU and cuDNN 9: skipped with the reason elsewhere.
 */
class CudnnLstmTest {
    private record Case(String name, LstmConfig config, int batch, int steps, int[] lengths, boolean state, boolean[] masks) {}

    private static final List<Case> CASES = List.of(
            new Case("stacked bidirectional ragged, initial state, one call", new LstmConfig(5, 4, 2, true), 3, 6, new int[]{6, 2, 5}, true, new boolean[]{false}),
            new Case("stacked bidirectional ragged, initial state, masks", new LstmConfig(5, 4, 2, true), 3, 6, new int[]{6, 2, 5}, true, new boolean[]{true}),
            new Case("three layers, mask on the second boundary only", new LstmConfig(3, 6, 3, false), 4, 5, new int[]{1, 5, 3, 4}, false, new boolean[]{false, true}),
            new Case("wide single layer, no lengths, no state", new LstmConfig(3, 33, 1, false), 2, 4, null, false, new boolean[0]),
            new Case("single bidirectional layer, all lengths 1 but one", new LstmConfig(7, 5, 1, true), 3, 4, new int[]{1, 4, 1}, true, new boolean[0]));

    private static CudaBackend gpuWithCudnnOrAbort() {
        CudaBackend gpu = TestBackends.get("cuda");
        try {
            gpu.cudnn();
        } catch (CudaException | LinkageError e) {
            Assumptions.abort("no cuDNN: " + e.getMessage());
        }
        return gpu;
    }

    @Test void emulatedDeviceRefusesCudnnSayingWhy() {
        CudaBackend emulated = TestBackends.get("emulated");
        CudaException e = assertThrows(CudaException.class, emulated::cudnn);
        assertTrue(e.getMessage().contains("cuDNN runs only on a real GPU"), e.getMessage());
        assertTrue(!emulated.lstmAlgorithms().contains(LstmAlgorithm.CUDNN));
    }

    @Test void matchesTheCpuAndOurKernels() {
        CudaBackend gpu = gpuWithCudnnOrAbort();
        List<String> failures = new ArrayList<>();
        StringBuilder report = new StringBuilder();
        for (DType dtype : DType.values()) {
            double tolerance = dtype == DType.F32 ? 1e-5 : 1e-12;
            SplittableRandom rng = new SplittableRandom(11);
            for (Case c : CASES) {
                Inputs in = Inputs.random(c, dtype, rng);
                List<Tensor> expected = run(CpuBackend.INSTANCE, LstmAlgorithm.CELL, c, in);
                List<Tensor> ours = run(gpu, LstmAlgorithm.CELL, c, in);
                List<Tensor> cudnn = run(gpu, LstmAlgorithm.CUDNN, c, in);
                for (int i = 0; i < expected.size(); i++) {
                    String what = dtype + " " + c.name + ": " + OUTPUT_NAMES.apply(c.config, i);
                    assertArrayEquals(expected.get(i).shape(), cudnn.get(i).shape(), what + ": shape");
                    double vsCpu = CudaBackendOpsTest.relativeError(expected.get(i).toDoubleArray(), cudnn.get(i).toDoubleArray());
                    double vsOurs = CudaBackendOpsTest.relativeError(ours.get(i).toDoubleArray(), cudnn.get(i).toDoubleArray());
                    report.append(String.format("  %-100s vs CPU %.2e, vs CudaLstm %.2e%n", what, vsCpu, vsOurs));
                    if (!(vsCpu <= tolerance)) failures.add(String.format("%s: %.3e from the CPU", what, vsCpu));
                    if (!(vsOurs <= tolerance)) failures.add(String.format("%s: %.3e from CudaLstm", what, vsOurs));
                }
            }
        }
        System.out.print("CudnnLstm on " + gpu.name() + " (" + gpu.cudnn().description() + "):\n" + report);
        if (!failures.isEmpty()) fail(failures.size() + " tensors differ:\n" + String.join("\n", failures));
    }

    @Test void backwardRunsOnceAndInferenceKeepsNothing() {
        CudaBackend gpu = gpuWithCudnnOrAbort();
        {
            Case c = CASES.get(1);
            Inputs in = Inputs.random(c, DType.F32, new SplittableRandom(3));
            List<Tensor> weights = new ArrayList<>();
            for (Tensor w : in.weights) weights.add(w.to(gpu));
            LstmPass inference = gpu.lstm(c.config, LstmAlgorithm.CUDNN, weights, in.x.to(gpu), c.lengths, null, null, List.of(), false);
            assertTrue(inference.backward() == null);
            LstmPass pass = gpu.lstm(c.config, LstmAlgorithm.CUDNN, weights, in.x.to(gpu), c.lengths, null, null, List.of(), true);
            Tensor dy = in.dy.to(gpu);
            pass.backward().run(dy, null, null, null, null, null, null);
            assertThrows(IllegalStateException.class, () -> pass.backward().run(dy, null, null, null, null, null, null));
        }
    }

    private static final java.util.function.BiFunction<LstmConfig, Integer, String> OUTPUT_NAMES = (config, i) -> {
        String[] fixed = {"y", "h_n", "c_n", "dx", "dh0", "dc0", "inference y", "inference h_n"};
        return i < fixed.length ? fixed[i] : "grad " + config.weightName(i - fixed.length);
    };

    /** Host tensors for one case: weights, x, h0/c0 (or null), dy, dhN, dcN, masks per boundary (or null), starting gradients. */
    private record Inputs(List<Tensor> weights, Tensor x, Tensor h0, Tensor c0, Tensor dy, Tensor dhN, Tensor dcN,
                          List<Tensor> masks, List<Tensor> gradStart) {
        static Inputs random(Case c, DType dt, SplittableRandom rng) {
            LstmConfig config = c.config;
            List<Tensor> weights = new ArrayList<>(), grads = new ArrayList<>();
            for (int i = 0; i < config.numWeights(); i++) {
                weights.add(Tensor.uniform(dt, rng, -0.5, 0.5, config.weightShape(i)));
                grads.add(Tensor.randn(dt, rng, 1.0, config.weightShape(i))); // the backward adds to these
            }
            int[] state = {config.numLayers() * config.numDirections(), c.batch, config.hiddenSize()};
            int[] out = {c.batch, c.steps, config.outputSize()};
            List<Tensor> masks = new ArrayList<>();
            for (boolean m : c.masks) {
                double[] v = new double[c.batch * c.steps * config.outputSize()];
                for (int i = 0; i < v.length; i++) v[i] = rng.nextDouble() < 0.3 ? 0 : 1 / 0.7;
                masks.add(m ? Tensor.of(dt, v, out) : null);
            }
            return new Inputs(weights, Tensor.randn(dt, rng, 1.0, c.batch, c.steps, config.inputSize()),
                    c.state ? Tensor.randn(dt, rng, 1.0, state) : null, c.state ? Tensor.randn(dt, rng, 1.0, state) : null,
                    Tensor.randn(dt, rng, 1.0, out), Tensor.randn(dt, rng, 1.0, state), Tensor.randn(dt, rng, 1.0, state),
                    masks, grads);
        }
    }

    private static Tensor on(Backend b, Tensor t) { return t == null ? null : t.to(b); }

    /** Forward (training), backward into fresh dx/dh0/dc0 and into the given starting gradients, then an inference forward. */
    private static List<Tensor> run(Backend b, LstmAlgorithm algorithm, Case c, Inputs in) {
        List<Tensor> weights = new ArrayList<>(), grads = new ArrayList<>(), masks = new ArrayList<>();
        for (Tensor w : in.weights) weights.add(w.to(b));
        for (Tensor g : in.gradStart) grads.add(b.copy(g.to(b)));
        for (Tensor m : in.masks) masks.add(on(b, m));
        Tensor x = in.x.to(b), h0 = on(b, in.h0), c0 = on(b, in.c0);
        LstmPass pass = b.lstm(c.config, algorithm, weights, x, c.lengths, h0, c0, masks, true);
        int[] state = {c.config.numLayers() * c.config.numDirections(), c.batch, c.config.hiddenSize()};
        // dx, dh0, dc0 start as garbage (not zero): the backward must overwrite them.
        Tensor dx = b.affine(b.zeros(x.dtype(), x.shape()), 0, 7), dh0 = b.affine(b.zeros(x.dtype(), state), 0, 7),
                dc0 = b.affine(b.zeros(x.dtype(), state), 0, 7);
        pass.backward().run(in.dy.to(b), in.dhN.to(b), in.dcN.to(b), dx, dh0, dc0, grads);
        LstmPass inference = b.lstm(c.config, algorithm, weights, x, c.lengths, h0, c0, masks, false);
        List<Tensor> outs = new ArrayList<>(Arrays.asList(pass.y(), pass.hN(), pass.cN(), dx, dh0, dc0, inference.y(), inference.hN()));
        outs.addAll(grads);
        List<Tensor> host = new ArrayList<>();
        for (Tensor t : outs) host.add(t.toHost());
        return host;
    }
}
