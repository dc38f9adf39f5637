package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;

import java.util.Arrays;

/**
 * A PyTorch-compatible {@code nn.LSTM(batch_first=True)} on flat float64 arrays: stacked layers,
 * optional bidirectionality, initial state, ragged batches (packed-sequence semantics) and dropout
 * masks between layers, with a hand-derived backward through time (docs/engine.md (section 4)).
 * {@link LstmF32} is the same code in float32; this one is the reference it is checked against,
 * and is itself checked against PyTorch and against central differences (LstmF64Test).
 *
 * <p>Layouts (all row-major, see {@link LstmConfig}): weights in PyTorch's flat-weights order,
 * x {@code [B, T, I]}, y {@code [B, T, D*H]}, h0/c0/h_n/c_n {@code [L*D, B, H]}, lengths
 * {@code int[B]} in 1..T or null, dropout masks {@code [L-1][B*T*D*H]} (mask l multiplies layer
 * l's output before it feeds layer l+1; already scaled by 1/(1-p); null or null entries: none).
 *
 * <p>Ownership: arrays passed in are read, never kept beyond the call, except that the training
 * forward keeps x, the weights and the masks by reference until backward (do not modify them in
 * between). Outputs are written into caller-provided arrays.
 */
public final class LstmF64 {
    private final LstmConfig config;
    private final int threads;

    public LstmF64(LstmConfig config) {
        this(config, 1);
    }

    /**
     * @param threads how many threads run each recurrence on disjoint batch rows (1 = the calling
     *                thread only, leaving parallelism to {@link Gemm}). On 2 cores 2 bought nothing
     *                measurable (LstmBench: same process CPU time, wall time within noise), since
     *                Gemm already splits every per-step product and the pointwise cell is ~5%.
     */
    public LstmF64(LstmConfig config, int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, found " + threads);
        this.config = config;
        this.threads = threads;
    }

    public LstmConfig config() { return config; }

    /** What a training forward leaves for {@link #backward}: one per forward, consumed by one backward. */
    public static final class Workspace {
        final int batch, steps;
        final LstmDirectionF64[] directions; // index layer * D + direction
        final double[][] layerInputs;        // layer 0: the caller's x; layer l: masked output of l-1
        final double[][] dropoutMasks;

        private Workspace(int batch, int steps, int layers, int dirs, double[][] dropoutMasks) {
            this.batch = batch;
            this.steps = steps;
            this.directions = new LstmDirectionF64[layers * dirs];
            this.layerInputs = new double[layers][];
            this.dropoutMasks = dropoutMasks;
        }

        /** Elements held (the gates and saved states of every layer and direction, the layer outputs). */
        public long elements() {
            long n = 0;
            for (LstmDirectionF64 d : directions) {
                n += LstmDirectionF64.workspaceElements(d.batch, d.steps, d.hidden, true);
            }
            for (int l = 1; l < layerInputs.length; l++) n += layerInputs[l].length;
            return n;
        }
    }

    /**
     * Training forward: writes y {@code [B, T, D*H]} (zero past each length) and, when non-null,
     * h_n/c_n {@code [L*D, B, H]}; returns the workspace for {@link #backward}.
     * h0/c0 null means zeros; lengths null means every sequence has T steps.
     */
    public Workspace forward(double[][] weights, double[] x, int batch, int steps, int[] lengths,
                             double[] h0, double[] c0, double[][] dropoutMasks,
                             double[] y, double[] hN, double[] cN) {
        return run(weights, x, batch, steps, lengths, h0, c0, dropoutMasks, y, hN, cN, true);
    }

    /** Inference forward: same outputs as {@link #forward}, no dropout, saves nothing for a backward. */
    public void infer(double[][] weights, double[] x, int batch, int steps, int[] lengths,
                      double[] h0, double[] c0, double[] y, double[] hN, double[] cN) {
        run(weights, x, batch, steps, lengths, h0, c0, null, y, hN, cN, false);
    }

    /**
     * One time step for streaming (unidirectional only): x {@code [B, I]}, state h/c
     * {@code [L, B, H]} read and updated in place, y {@code [B, H]} receives the top layer's h.
     * Calling it T times equals one {@link #infer} over T steps.
     */
    public void step(double[][] weights, double[] x, int batch, double[] h, double[] c, double[] y) {
        if (config.bidirectional()) {
            throw new IllegalStateException("step() streams one time step forward; a bidirectional LSTM needs the whole sequence: use infer()");
        }
        run(weights, x, batch, 1, null, h, c, null, y, h, c, false);
    }

    /**
     * Backward through time of the forward that returned {@code ws}.
     *
     * @param dy          dL/dy {@code [B, T, D*H]} (values at padded steps are ignored)
     * @param dhN         dL/dh_n {@code [L*D, B, H]} or null for zero (dcN likewise)
     * @param dx          receives (overwritten) dL/dx {@code [B, T, I]}, or null to skip it
     * @param dh0         receives (overwritten) dL/dh0 {@code [L*D, B, H]}, or null (dc0 likewise)
     * @param weightGrads one array per weight, PyTorch order and shapes: gradients are ADDED, like
     *                    PyTorch's .grad, so zero them before a step that should not accumulate
     */
    public void backward(Workspace ws, double[] dy, double[] dhN, double[] dcN,
                         double[] dx, double[] dh0, double[] dc0, double[][] weightGrads) {
        if (ws == null || ws.directions.length != config.numLayers() * config.numDirections()) {
            throw new IllegalArgumentException("backward needs the Workspace that forward() of this " + config
                    + " returned (infer() and step() save none)");
        }
        config.checkWeights(weightGrads, "weight gradient");
        int batch = ws.batch, steps = ws.steps, hidden = config.hiddenSize(), dirs = config.numDirections();
        int layers = config.numLayers();
        long bt = (long) batch * steps, states = (long) layers * dirs * batch * hidden;
        LstmConfig.checkLength("dy", dy.length, bt * config.outputSize());
        if (dhN != null) LstmConfig.checkLength("dh_n", dhN.length, states);
        if (dcN != null) LstmConfig.checkLength("dc_n", dcN.length, states);
        if (dh0 != null) LstmConfig.checkLength("dh0", dh0.length, states);
        if (dc0 != null) LstmConfig.checkLength("dc0", dc0.length, states);
        if (dx != null) LstmConfig.checkLength("dx", dx.length, bt * config.inputSize());

        double[] dOut = dy;
        for (int l = layers - 1; l >= 0; l--) {
            double[] dIn;
            if (l > 0) dIn = new double[(int) (bt * config.layerInputSize(l))];
            else {
                dIn = dx;
                if (dx != null) Arrays.fill(dx, 0);
            }
            for (int d = 0; d < dirs; d++) {
                int w = config.weightIndex(l, d);
                ws.directions[l * dirs + d].backward(dOut, d * hidden, dirs * hidden, dhN, dcN,
                        (l * dirs + d) * batch * hidden, dIn, dh0, dc0,
                        weightGrads[w], weightGrads[w + 1], weightGrads[w + 2], weightGrads[w + 3]);
            }
            // Layer l's input was mask * y_{l-1}, so dL/dy_{l-1} = mask * dL/d(input).
            double[] mask = mask(ws.dropoutMasks, l - 1);
            if (mask != null) {
                for (int k = 0; k < dIn.length; k++) dIn[k] *= mask[k];
            }
            dOut = dIn;
        }
    }

    private Workspace run(double[][] weights, double[] x, int batch, int steps, int[] lengths,
                          double[] h0, double[] c0, double[][] dropoutMasks,
                          double[] y, double[] hN, double[] cN, boolean training) {
        config.checkWeights(weights, "weight");
        LstmConfig.checkLengths(lengths, batch, steps);
        int hidden = config.hiddenSize(), dirs = config.numDirections(), layers = config.numLayers();
        long bt = (long) batch * steps, states = (long) layers * dirs * batch * hidden;
        LstmConfig.checkLength("x", x.length, bt * config.inputSize());
        LstmConfig.checkLength("y", y.length, bt * config.outputSize());
        if (h0 != null) LstmConfig.checkLength("h0", h0.length, states);
        if (c0 != null) LstmConfig.checkLength("c0", c0.length, states);
        if (hN != null) LstmConfig.checkLength("h_n", hN.length, states);
        if (cN != null) LstmConfig.checkLength("c_n", cN.length, states);
        if (dropoutMasks != null) {
            for (int l = 0; l < dropoutMasks.length; l++) {
                if (l >= layers - 1 && dropoutMasks[l] != null) {
                    throw new IllegalArgumentException("dropout mask " + l + " given, but dropout applies only between the "
                            + layers + " layers (masks 0.." + (layers - 2) + "), never after the last");
                }
                if (dropoutMasks[l] != null) {
                    LstmConfig.checkLength("dropout mask " + l, dropoutMasks[l].length, bt * config.outputSize());
                }
            }
        }
        int[] lens = lengths != null ? lengths.clone() : filled(batch, steps);

        Workspace ws = training ? new Workspace(batch, steps, layers, dirs, dropoutMasks) : null;
        double[] input = x;
        for (int l = 0; l < layers; l++) {
            double[] out = l == layers - 1 ? y : new double[(int) (bt * config.outputSize())];
            for (int d = 0; d < dirs; d++) {
                int w = config.weightIndex(l, d);
                LstmDirectionF64 pass = new LstmDirectionF64(batch, steps, config.layerInputSize(l), hidden, d == 1, lens,
                        weights[w], weights[w + 1], weights[w + 2], weights[w + 3], training, threads);
                pass.forward(input, h0, c0, (l * dirs + d) * batch * hidden, out, d * hidden, dirs * hidden, hN, cN);
                if (training) ws.directions[l * dirs + d] = pass;
            }
            if (training) ws.layerInputs[l] = input;
            double[] mask = training ? mask(dropoutMasks, l) : null;
            if (mask != null) {
                for (int k = 0; k < out.length; k++) out[k] *= mask[k];
            }
            input = out;
        }
        return ws;
    }

    private static double[] mask(double[][] masks, int boundary) {
        return masks == null || boundary < 0 || boundary >= masks.length ? null : masks[boundary];
    }

    private static int[] filled(int batch, int steps) {
        int[] lens = new int[batch];
        Arrays.fill(lens, steps);
        return lens;
    }
}
