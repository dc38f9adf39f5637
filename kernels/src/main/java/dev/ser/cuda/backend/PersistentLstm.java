package dev.ser.cuda.backend;

import dev.ser.cuda.device.Device;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.tensor.DType;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The recurrence of one layer and direction in one cooperative launch (lstm_persistent.cu): block k owns
 * hidden units [k*U, (k+1)*U) and holds their rows of W_hh (forward) or their columns (backward) in shared
 * memory for all T steps, with one grid barrier a step, instead of a cuBLAS GEMM and a cell launch a step.
 * docs/kernels.md explains it and why it wins at small batch.
 *
 * <p>It needs every block resident at once. {@link #plan} picks U (units a block), the batch chunk BC
 * (rows of h_{t-1} or da_t staged in shared memory at once) and the threads from H, B and the device's
 * limits; where nothing fits (a very large H or B, a device without cooperative launches, or the
 * emulator today, which can hold one block) that pass runs on the per-step path instead: each of forward
 * and backward decides on its own, with the reason logged once per distinct reason and kept in
 * {@link #lastFallback}.
 */
final class PersistentLstm implements LstmRecurrence {
    private static final System.Logger LOG = System.getLogger(PersistentLstm.class.getName());

    /** Which kernel: they share a geometry but stage different things. */
    enum Pass {
        /** Shared: 4U rows of W_hh, then BC rows of h_{t-1}; each padded to H + 1. */
        FORWARD(Kernels.LSTM_PERSISTENT_FORWARD),
        /** Shared: U columns of W_hh (as rows of 4H), then BC rows of da_t; each padded to 4H + 1. */
        BACKWARD(Kernels.LSTM_PERSISTENT_BACKWARD);

        final String kernel;

        Pass(String kernel) { this.kernel = kernel; }

        long fixedElements(int units, int hidden) {
            return this == FORWARD ? 4L * units * (hidden + 1) : (long) units * (4L * hidden + 1);
        }

        long rowElements(int hidden) { return this == FORWARD ? hidden + 1 : 4L * hidden + 1; }
    }

    /** What the planner may ask of a device, for one kernel; a pure interface so that the plan is unit-tested. */
    interface Limits {
        /** Streaming multiprocessors: a plan has at most one block on each. */
        int multiprocessors();

        /** Dynamic shared memory one block may have (the device's opt-in limit). */
        int maxSharedBytes();

        /** Blocks that fit at once with this block size and shared memory; 0 when such a block cannot run. */
        int coResidentBlocks(int threads, int sharedBytes);
    }

    /**
     * A launch geometry, or (when {@link #fits} is false) why there is none. blocks = ceil(H / units), all
     * co-resident; threads * ITEMS_PER_THREAD >= B * units; sharedBytes = (fixed + chunk * row) elements.
     */
    record Plan(int units, int chunk, int threads, int blocks, int sharedBytes, String fallbackReason) {
        static Plan none(String reason) { return new Plan(0, 0, 0, 0, 0, reason); }

        boolean fits() { return fallbackReason == null; }
    }

    /**
     * The plan with the most blocks (the smallest U), at most one a multiprocessor, whose blocks can all be
     * resident: more blocks put more multiprocessors, and their shared memory bandwidth, on each step, while
     * a second block on a multiprocessor adds no arithmetic units but stages all of h_{t-1} (or da_t) once
     * more from L2 (docs/kernels.md, "the per-step floor"). For each block count, U is the smallest that gives
     * it; the batch chunk is as large as the shared memory allows (at most B: one staging pass per step).
     * Larger U only needs more threads and shared memory, so the search stops at the first U that runs out
     * of either.
     */
    static Plan plan(Pass pass, int batch, int hidden, int elementBytes, Limits limits) {
        if (batch < 1 || hidden < 1) return Plan.none("nothing to run (B=" + batch + ", H=" + hidden + ")");
        int maxThreads = Kernels.LSTM_PERSISTENT_MAX_THREADS, items = Kernels.LSTM_PERSISTENT_ITEMS_PER_THREAD;
        long sharedElements = limits.maxSharedBytes() / elementBytes;
        String why = null;
        int lastBlocks = -1;
        int firstUnits = (hidden + Math.max(1, limits.multiprocessors()) - 1) / Math.max(1, limits.multiprocessors());
        for (int units = firstUnits; units <= hidden; units++) {
            int blocks = (hidden + units - 1) / units;
            if (blocks == lastBlocks) continue;
            lastBlocks = blocks;
            long work = (long) batch * units;
            int threads = (int) Math.min(maxThreads, (work + 31) / 32 * 32);
            if ((long) threads * items < work) {
                String many = "B*U = " + work + " items (B=" + batch + ", U=" + units + ") exceed " + maxThreads + " threads x " + items + " a block";
                why = why == null ? many : why + "; " + many;
                break;
            }
            long room = (sharedElements - pass.fixedElements(units, hidden)) / pass.rowElements(hidden);
            if (room < 1) {
                String shared = "U=" + units + " needs " + (pass.fixedElements(units, hidden) + pass.rowElements(hidden)) * elementBytes
                        + " bytes of shared memory a block, over the device's " + limits.maxSharedBytes();
                why = why == null ? shared : why + "; " + shared;
                break;
            }
            int chunk = (int) Math.min(batch, room);
            int sharedBytes = (int) ((pass.fixedElements(units, hidden) + chunk * pass.rowElements(hidden)) * elementBytes);
            int resident = limits.coResidentBlocks(threads, sharedBytes);
            if (blocks <= resident) return new Plan(units, chunk, threads, blocks, sharedBytes, null);
            why = "at most " + resident + " blocks of " + threads + " threads and " + sharedBytes + " bytes fit at once, "
                    + blocks + " needed (U=" + units + ")";
        }
        return Plan.none("H=" + hidden + ", B=" + batch + ": " + why);
    }

    private final CudaBackend backend;
    private final LstmRecurrence fallback;
    private final Map<String, Plan> plans = new ConcurrentHashMap<>();
    private final Map<String, Boolean> logged = new ConcurrentHashMap<>();
    private volatile int sharedLimit = Integer.MAX_VALUE;
    private volatile String lastFallback;
    private volatile int persistentPasses, fallbackPasses;

    PersistentLstm(CudaBackend backend, LstmRecurrence fallback) {
        this.backend = backend;
        this.fallback = fallback;
    }

    /** The plan for this pass on this backend's device (cached: the occupancy queries cost driver calls). */
    Plan plan(Pass pass, DType dtype, int batch, int hidden) {
        String key = pass + " " + dtype + " " + batch + " " + hidden + " " + sharedLimit;
        return plans.computeIfAbsent(key, k -> plan(pass, batch, hidden, dtype.bytes, deviceLimits(pass, dtype)));
    }

    private Limits deviceLimits(Pass pass, DType dtype) {
        Device device = backend.device();
        String kernel = Kernels.kernelName(pass.kernel, dtype);
        int cap = sharedLimit;
        return new Limits() {
            @Override public int multiprocessors() { return device.multiprocessors(); }

            @Override public int maxSharedBytes() { return Math.min(cap, device.maxDynamicSharedBytes()); }

            @Override public int coResidentBlocks(int threads, int sharedBytes) {
                return device.maxCooperativeBlocks(kernel, threads, sharedBytes);
            }
        };
    }

    /** Caps the shared memory a plan may use (tests: forces several batch chunks on small sizes). */
    void limitSharedBytes(int bytes) { sharedLimit = bytes; }

    /** Why the last pass that fell back did (null: none has). */
    String lastFallback() { return lastFallback; }

    /** Passes (one direction's forward or backward) run persistently / on the per-step path since creation. */
    int persistentPasses() { return persistentPasses; }

    int fallbackPasses() { return fallbackPasses; }

    @Override public void forward(Steps s, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        Plan plan = plan(Pass.FORWARD, s.dtype(), s.batch(), s.hidden());
        if (!plan.fits()) {
            fellBack(Pass.FORWARD, plan);
            fallback.forward(s, y, yCol, ldy, hPrev, cPrev, tanhC);
            return;
        }
        long exchangeBytes = 2L * s.batch() * s.hidden() * s.dtype().bytes;
        long hx = backend.memory().alloc(exchangeBytes);
        try {
            backend.kernels().lstmPersistentForward(s.dtype(), plan.blocks(), plan.threads(), plan.sharedBytes(), s.batch(), s.steps(),
                    s.hidden(), s.reverse(), plan.units(), plan.chunk(), s.lengths(), s.gates(), s.wHh(), s.h(), s.c(), hx, y, yCol, ldy,
                    hPrev, cPrev, tanhC);
        } finally {
            backend.memory().free(hx, exchangeBytes); // stream-ordered: the allocator's cache does not wait, nor reuse early
        }
        persistentPasses++;
    }

    @Override public void backward(Steps s, long cPrev, long tanhC, long dy, int yCol, int ldy) {
        Plan plan = plan(Pass.BACKWARD, s.dtype(), s.batch(), s.hidden());
        if (!plan.fits()) {
            fellBack(Pass.BACKWARD, plan);
            fallback.backward(s, cPrev, tanhC, dy, yCol, ldy);
            return;
        }
        backend.kernels().lstmPersistentBackward(s.dtype(), plan.blocks(), plan.threads(), plan.sharedBytes(), s.batch(), s.steps(),
                s.hidden(), s.reverse(), plan.units(), plan.chunk(), s.lengths(), s.gates(), cPrev, tanhC, s.wHh(), s.h(), s.c(),
                dy, yCol, ldy);
        persistentPasses++;
    }

    private void fellBack(Pass pass, Plan plan) {
        fallbackPasses++;
        String reason = "persistent LSTM " + pass.name().toLowerCase() + " on " + backend.device().name() + ": " + plan.fallbackReason()
                + "; using the per-step path";
        lastFallback = reason;
        if (logged.putIfAbsent(reason, Boolean.TRUE) == null) LOG.log(System.Logger.Level.INFO, reason);
    }
}
