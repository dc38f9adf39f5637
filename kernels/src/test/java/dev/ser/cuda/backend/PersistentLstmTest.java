package dev.ser.cuda.backend;

import dev.ser.cuda.backend.PersistentLstm.Limits;
import dev.ser.cuda.backend.PersistentLstm.Pass;
import dev.ser.cuda.backend.PersistentLstm.Plan;
import dev.ser.cuda.device.EmulatedDevice;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The persistent LSTM (lstm_persistent.cu through {@link PersistentLstm}) against the per-step path
 * ({@link LstmAlgorithm#CELL}) on the same device and against the CPU backend, on fresh random inputs:
 * y, h_n, c_n, dx, dh0, dc0, every weight gradient and an inference forward; float32 within 1e-5 of each
 * tensor's scale, float64 within 1e-12 (the two paths differ only in the order of the recurrent dot
 * products). And the plan (U, batch chunk, threads, fallback) as a pure function of the limits.
 *
 * <p>On the emulated device a cooperative grid is one block until the emulator runs every block at once
 * (branch wt-emu), so there every case that fits runs with U = H in one block; on a GPU the same cases
 * run with many blocks.
 */
class PersistentLstmTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    static List<String> devices() { return TestBackends.names(); }

    private static double tolerance(DType dtype) { return dtype == DType.F32 ? 1e-5 : 1e-12; }

    /**
     * One LSTM problem: the config, the batch and steps, ragged lengths (null: all T), initial state and masks
     * or not, and a cap on the shared memory the plan may use, in elements.
     */
    private record Problem(LstmConfig config, int batch, int steps, int[] lengths, boolean stateAndMasks, int sharedCap) {
        @Override public String toString() {
            return config + " B=" + batch + " T=" + steps + (lengths == null ? "" : " lengths " + Arrays.toString(lengths))
                    + (stateAndMasks ? " h0/c0 + dropout" : "") + (sharedCap < Integer.MAX_VALUE ? " shared <= " + sharedCap + " elements" : "");
        }
    }

    private static List<Problem> problems() {
        int all = Integer.MAX_VALUE;
        return List.of(
                new Problem(new LstmConfig(5, 7, 1, false), 3, 6, new int[]{6, 2, 5}, true, all),
                new Problem(new LstmConfig(3, 16, 1, false), 1, 5, null, false, all),
                new Problem(new LstmConfig(4, 12, 2, true), 5, 5, new int[]{5, 1, 3, 5, 4}, true, all),
                new Problem(new LstmConfig(6, 33, 1, true), 2, 4, null, false, all),
                // 24 units, 5 rows, shared memory capped at 24 * 97 + 2 * 97 elements: the backward stages da_t
                // 2 rows at a time (3 chunks), the forward h_{t-1} 4 rows at a time (2 chunks).
                new Problem(new LstmConfig(3, 24, 1, true), 5, 4, new int[]{4, 4, 2, 3, 1}, true, (24 + 2) * 97));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void matchesThePerStepPathAndTheCpu(String device) {
        CudaBackend gpu = TestBackends.get(device);
        PersistentLstm persistent = gpu.persistentLstm();
        List<String> failures = new ArrayList<>();
        try {
            for (DType dtype : DType.values()) {
                SplittableRandom rng = new SplittableRandom(11);
                for (Problem p : problems()) {
                    List<Tensor> inputs = inputs(dtype, rng, p);
                    Tensor[] cpu = run(CPU, LstmAlgorithm.CELL, p, inputs);
                    List<Tensor> moved = new ArrayList<>();
                    for (Tensor t : inputs) moved.add(t == null ? null : t.to(gpu));
                    Tensor[] cell = run(gpu, LstmAlgorithm.CELL, p, moved);
                    persistent.limitSharedBytes((int) Math.min(Integer.MAX_VALUE, (long) p.sharedCap() * dtype.bytes));
                    int ran = persistent.persistentPasses();
                    Tensor[] fused = run(gpu, LstmAlgorithm.PERSISTENT, p, moved);
                    int passes = persistent.persistentPasses() - ran;
                    // forward (training), backward, forward (inference): 3 passes per layer and direction
                    int expected = 3 * p.config().numLayers() * p.config().numDirections();
                    if (passes != expected)
                        failures.add(dtype + " " + p + ": " + passes + " of " + expected + " passes ran persistently (" + persistent.lastFallback() + ")");
                    for (int i = 0; i < cpu.length; i++) {
                        String what = dtype + " " + p + " " + OUTPUTS.get(Math.min(i, OUTPUTS.size() - 1)) + (i >= OUTPUTS.size() - 1 ? " " + (i - OUTPUTS.size() + 1) : "");
                        double vsCpu = CudaBackendOpsTest.relativeError(cpu[i].toDoubleArray(), fused[i].toDoubleArray());
                        double vsCell = CudaBackendOpsTest.relativeError(cell[i].toDoubleArray(), fused[i].toDoubleArray());
                        if (!(vsCpu <= tolerance(dtype)) || !(vsCell <= tolerance(dtype)))
                            failures.add(String.format("%s: error %.3e against the CPU, %.3e against the per-step path", what, vsCpu, vsCell));
                    }
                }
            }
        } finally {
            persistent.limitSharedBytes(Integer.MAX_VALUE);
        }
        if (!failures.isEmpty()) fail(failures.size() + " differences on " + device + ":\n" + String.join("\n", failures));
    }

    /** Where the plan does not fit (here: more items than a block's threads hold) the pass falls back and still agrees. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("devices")
    void fallsBackToThePerStepPathWhenNothingFits(String device) {
        CudaBackend gpu = TestBackends.get(device);
        PersistentLstm persistent = gpu.persistentLstm();
        // On the emulator (4 multiprocessors: at most 4 blocks, U >= 10) B*U = 2,400 items exceed 512 threads x 4 items;
        // a GPU spreads them over more blocks.
        Problem p = new Problem(new LstmConfig(3, 40, 1, false), 240, 3, null, false, Integer.MAX_VALUE);
        {
            List<Tensor> inputs = inputs(DType.F64, new SplittableRandom(5), p);
            Tensor[] cpu = run(CPU, LstmAlgorithm.CELL, p, inputs);
            List<Tensor> moved = new ArrayList<>();
            for (Tensor t : inputs) moved.add(t == null ? null : t.to(gpu));
            int fellBack = persistent.fallbackPasses();
            Tensor[] fused = run(gpu, LstmAlgorithm.PERSISTENT, p, moved);
            for (int i = 0; i < cpu.length; i++) {
                double err = CudaBackendOpsTest.relativeError(cpu[i].toDoubleArray(), fused[i].toDoubleArray());
                assertTrue(err <= 1e-12, "output " + i + ": error " + err);
            }
            if (gpu.device() instanceof EmulatedDevice) {
                assertEquals(fellBack + 3, persistent.fallbackPasses(), "forward, backward and inference fell back");
                assertNotNull(persistent.lastFallback());
                assertTrue(persistent.lastFallback().contains("per-step path"), persistent.lastFallback());
            }
        }
    }

    private static final List<String> OUTPUTS = List.of("y", "h_n", "c_n", "dx", "dh0", "dc0", "inference y", "weight gradient");

    /** Weights, x, h0, c0 (or null), dy, dh_n, dc_n, a dropout mask (or null). */
    private static List<Tensor> inputs(DType dt, SplittableRandom rng, Problem p) {
        LstmConfig config = p.config();
        List<Tensor> in = new ArrayList<>();
        for (int i = 0; i < config.numWeights(); i++) in.add(Tensor.uniform(dt, rng, -0.5, 0.5, config.weightShape(i)));
        int[] state = {config.numLayers() * config.numDirections(), p.batch(), config.hiddenSize()};
        int[] out = {p.batch(), p.steps(), config.outputSize()};
        in.add(Tensor.randn(dt, rng, 1.0, p.batch(), p.steps(), config.inputSize()));
        in.add(p.stateAndMasks() ? Tensor.randn(dt, rng, 1.0, state) : null);
        in.add(p.stateAndMasks() ? Tensor.randn(dt, rng, 1.0, state) : null);
        in.add(Tensor.randn(dt, rng, 1.0, out));
        in.add(Tensor.randn(dt, rng, 1.0, state));
        in.add(Tensor.randn(dt, rng, 1.0, state));
        double[] mask = new double[p.batch() * p.steps() * config.outputSize()];
        for (int i = 0; i < mask.length; i++) mask[i] = rng.nextDouble() < 0.3 ? 0 : 1 / 0.7;
        in.add(p.stateAndMasks() && config.numLayers() > 1 ? Tensor.of(dt, mask, out) : null);
        return in;
    }

    /** y, h_n, c_n, dx, dh0, dc0, the inference y, then every weight gradient. */
    private static Tensor[] run(Backend b, LstmAlgorithm algorithm, Problem p, List<Tensor> in) {
        LstmConfig config = p.config();
        int w = config.numWeights();
        DType dt = in.get(0).dtype();
        List<Tensor> weights = in.subList(0, w);
        Tensor x = in.get(w), h0 = in.get(w + 1), c0 = in.get(w + 2), dy = in.get(w + 3), dhN = in.get(w + 4), dcN = in.get(w + 5);
        List<Tensor> masks = in.get(w + 6) == null ? List.of() : List.of(in.get(w + 6));
        LstmPass pass = b.lstm(config, algorithm, weights, x, p.lengths(), h0, c0, masks, true);
        int[] state = {config.numLayers() * config.numDirections(), p.batch(), config.hiddenSize()};
        Tensor dx = b.zeros(dt, x.shape()), dh0 = b.zeros(dt, state), dc0 = b.zeros(dt, state);
        List<Tensor> grads = new ArrayList<>();
        for (Tensor t : weights) grads.add(b.zeros(dt, t.shape()));
        pass.backward().run(dy, dhN, dcN, dx, dh0, dc0, grads);
        LstmPass inference = b.lstm(config, algorithm, weights, x, p.lengths(), h0, c0, masks, false);
        List<Tensor> outs = new ArrayList<>(List.of(pass.y(), pass.hN(), pass.cN(), dx, dh0, dc0, inference.y()));
        outs.addAll(grads);
        return outs.toArray(Tensor[]::new);
    }

    // ---- the plan, as a pure function of the limits --------------------------------------------------------

    /** An H100/H200-like device: 132 multiprocessors, 227 KiB a block, 228 KiB and 2,048 threads a multiprocessor. */
    private static Limits gpu(int multiprocessors) {
        return new Limits() {
            @Override public int multiprocessors() { return multiprocessors; }

            @Override public int maxSharedBytes() { return 227 * 1024; }

            @Override public int coResidentBlocks(int threads, int sharedBytes) {
                if (threads > 1024 || sharedBytes > maxSharedBytes()) return 0;
                int byThreads = 2048 / threads, byShared = sharedBytes == 0 ? 32 : 228 * 1024 / (sharedBytes + 1024);
                return Math.min(32, Math.min(byThreads, byShared)) * multiprocessors;
            }
        };
    }

    @Test
    void planUsesTheMostBlocksThatFitAtOnce() {
        // B=64, H=256, float32 on 132 multiprocessors: at most one block each, so two units a block, 128 blocks of
        // 128 threads, (8 + 64) rows of 257 floats = 74,016 bytes of shared memory.
        Plan p = PersistentLstm.plan(Pass.FORWARD, 64, 256, 4, gpu(132));
        assertTrue(p.fits(), p.fallbackReason());
        assertEquals(2, p.units());
        assertEquals(128, p.blocks());
        assertEquals(128, p.threads());
        assertEquals(64, p.chunk());
        assertEquals((8 + 64) * 257 * 4, p.sharedBytes());
        // On a smaller device the same work needs more units a block.
        Plan small = PersistentLstm.plan(Pass.FORWARD, 64, 256, 4, gpu(16));
        assertTrue(small.fits(), small.fallbackReason());
        assertTrue(small.units() > 1, small.toString());
    }

    @Test
    void planStagesTheBatchInChunksWhenSharedMemoryIsShort() {
        // Backward, float64, H=512, B=256: a row of da_t is 2,049 doubles (16 KiB), so a block stages a few rows at a time.
        Plan p = PersistentLstm.plan(Pass.BACKWARD, 256, 512, 8, gpu(132));
        assertTrue(p.fits(), p.fallbackReason());
        assertTrue(p.chunk() < 256 && p.chunk() >= 1, p.toString());
        assertTrue(p.sharedBytes() <= 227 * 1024, p.toString());
    }

    @Test
    void planFallsBackWithAReason() {
        Limits noCooperative = new Limits() {
            @Override public int multiprocessors() { return 132; }

            @Override public int maxSharedBytes() { return 48 * 1024; }

            @Override public int coResidentBlocks(int threads, int sharedBytes) { return 0; }
        };
        Plan none = PersistentLstm.plan(Pass.FORWARD, 8, 64, 4, noCooperative);
        assertFalse(none.fits());
        assertTrue(none.fallbackReason().contains("at most 0 blocks"), none.fallbackReason());
        // W_hh's slice alone is over the shared memory: H=8192 float64 needs U >= 63 on 132 multiprocessors, 4 MB a block.
        Plan shared = PersistentLstm.plan(Pass.FORWARD, 4, 8192, 8, gpu(132));
        assertFalse(shared.fits());
        assertTrue(shared.fallbackReason().contains("shared memory"), shared.fallbackReason());
        // More batch rows than one block's threads can own, even at one unit a block.
        Plan batch = PersistentLstm.plan(Pass.FORWARD, 4096, 64, 4, gpu(132));
        assertFalse(batch.fits());
        assertTrue(batch.fallbackReason().contains("B=4096"), batch.fallbackReason());
        // The emulator today: one co-resident block, so only U = H fits.
        Limits oneBlock = new Limits() {
            @Override public int multiprocessors() { return 1; }

            @Override public int maxSharedBytes() { return 227 * 1024; }

            @Override public int coResidentBlocks(int threads, int sharedBytes) { return sharedBytes <= maxSharedBytes() ? 1 : 0; }
        };
        Plan one = PersistentLstm.plan(Pass.BACKWARD, 5, 24, 8, oneBlock);
        assertTrue(one.fits(), one.fallbackReason());
        assertEquals(24, one.units());
        assertEquals(1, one.blocks());
    }

    /** Every plan covers the work: blocks = ceil(H/U), enough thread items, shared memory within the limit. */
    @Test
    void everyPlanCoversTheWork() {
        SplittableRandom rng = new SplittableRandom(3);
        for (int trial = 0; trial < 2000; trial++) {
            int batch = 1 + rng.nextInt(300), hidden = 1 + rng.nextInt(1500), bytes = rng.nextBoolean() ? 4 : 8;
            Pass pass = rng.nextBoolean() ? Pass.FORWARD : Pass.BACKWARD;
            Limits limits = gpu(1 + rng.nextInt(140));
            Plan p = PersistentLstm.plan(pass, batch, hidden, bytes, limits);
            String what = pass + " B=" + batch + " H=" + hidden + " " + bytes + " bytes: " + p;
            if (!p.fits()) {
                assertNotNull(p.fallbackReason(), what);
                continue;
            }
            assertEquals((hidden + p.units() - 1) / p.units(), p.blocks(), what);
            assertTrue(p.blocks() <= limits.coResidentBlocks(p.threads(), p.sharedBytes()), what);
            assertTrue(p.blocks() <= limits.multiprocessors(), what);
            assertTrue(p.threads() <= Kernels.LSTM_PERSISTENT_MAX_THREADS && p.threads() % 32 == 0, what);
            assertTrue((long) p.threads() * Kernels.LSTM_PERSISTENT_ITEMS_PER_THREAD >= (long) batch * p.units(), what);
            assertTrue(p.chunk() >= 1 && p.chunk() <= batch, what);
            assertEquals((pass.fixedElements(p.units(), hidden) + p.chunk() * pass.rowElements(hidden)) * bytes, p.sharedBytes(), what);
            assertTrue(p.sharedBytes() <= limits.maxSharedBytes(), what);
        }
    }
}
