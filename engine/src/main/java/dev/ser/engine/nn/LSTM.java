package dev.ser.engine.nn;

import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's nn.LSTM with batch_first=True: stacked, optionally bidirectional, initial state, variable
 * lengths with packed-sequence semantics, dropout between layers, parameter names and gate order
 * (i, f, g, o) as PyTorch's.
 *
 * <p>Two implementations compute the same function: {@link Impl#REFERENCE} builds every step from
 * primitive ops (autograd derives its backward; slow, obviously right) and {@link Impl#FUSED} runs the
 * CPU kernel with its hand-derived backward through time (the one that trains). Tests hold them equal
 * to float64 rounding.
 */
public final class LSTM extends Module {
    /**
     * REFERENCE: primitive ops, autograd's backward. The others run the backend's fused LSTM with a
     * hand-written backward: FUSED its cell algorithm (CPU and CUDA), CUDNN and PERSISTENT the CUDA
     * backend's cuDNN and persistent-kernel versions ({@link LstmAlgorithm}).
     */
    public enum Impl {
        REFERENCE(null), FUSED(LstmAlgorithm.CELL), CUDNN(LstmAlgorithm.CUDNN), PERSISTENT(LstmAlgorithm.PERSISTENT);

        /** The backend algorithm, null for REFERENCE. */
        public final LstmAlgorithm algorithm;

        Impl(LstmAlgorithm algorithm) { this.algorithm = algorithm; }

        /** The implementations {@code backend} runs: REFERENCE everywhere, and one per backend algorithm. */
        public static java.util.List<Impl> on(dev.ser.engine.backend.Backend backend) {
            return java.util.Arrays.stream(values()).filter(i -> i.algorithm == null || backend.lstmAlgorithms().contains(i.algorithm)).toList();
        }
    }

    /** y [B, T, D*H]; hN and cN [L*D, B, H] (PyTorch's h_n and c_n). */
    public record Output(Tensor y, Tensor hN, Tensor cN) {}

    public final int inputSize, hiddenSize, numLayers;
    public final boolean bidirectional;
    public final double dropout;
    private final DType dtype;
    private final Map<String, Tensor> params = new LinkedHashMap<>();
    private Impl impl = Impl.FUSED;
    private SplittableRandom dropoutRng;

    public LSTM(int inputSize, int hiddenSize, int numLayers, boolean bidirectional, double dropout, DType dtype,
                SplittableRandom rng) {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new IllegalArgumentException("LSTM sizes must be positive: input " + inputSize + ", hidden " + hiddenSize + ", layers " + numLayers);
        if (dropout < 0 || dropout >= 1) throw new IllegalArgumentException("LSTM dropout must be in [0, 1), got " + dropout);
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bidirectional = bidirectional;
        this.dropout = dropout;
        this.dtype = dtype;
        this.dropoutRng = rng.split();
        // PyTorch initializes every LSTM parameter uniform in ±1/sqrt(hidden)
        double bound = 1 / Math.sqrt(hiddenSize);
        for (int layer = 0; layer < numLayers; layer++)
            for (int dir = 0; dir < directions(); dir++) {
                int in = layer == 0 ? inputSize : directions() * hiddenSize;
                String sfx = suffix(layer, dir);
                params.put("weight_ih" + sfx, Tensor.uniform(dtype, rng, -bound, bound, 4 * hiddenSize, in));
                params.put("weight_hh" + sfx, Tensor.uniform(dtype, rng, -bound, bound, 4 * hiddenSize, hiddenSize));
                params.put("bias_ih" + sfx, Tensor.uniform(dtype, rng, -bound, bound, 4 * hiddenSize));
                params.put("bias_hh" + sfx, Tensor.uniform(dtype, rng, -bound, bound, 4 * hiddenSize));
            }
        for (Map.Entry<String, Tensor> e : params.entrySet()) e.getValue().requiresGrad(true).name(e.getKey());
    }

    public static String suffix(int layer, int direction) {
        return "_l" + layer + (direction == 1 ? "_reverse" : "");
    }

    public int directions() { return bidirectional ? 2 : 1; }

    public DType dtype() { return dtype; }

    public LSTM impl(Impl impl) {
        this.impl = impl;
        return this;
    }

    public Impl impl() { return impl; }

    /** Reseeds the dropout masks (so two implementations can be run on the same masks). */
    public void seedDropout(long seed) { this.dropoutRng = new SplittableRandom(seed); }

    public Tensor param(String name) {
        Tensor t = params.get(name);
        if (t == null) throw new IllegalArgumentException("LSTM has no parameter '" + name + "'; it has " + params.keySet());
        return t;
    }

    @Override public Map<String, Tensor> namedParameters() { return collect(params); }

    public Output forward(Tensor x) { return forward(x, null, null, null); }

    /**
     * @param x       [B, T, I]
     * @param lengths valid steps per sequence (1..T), or null for all T
     * @param h0, c0  [L*D, B, H] or null for zeros
     */
    public Output forward(Tensor x, int[] lengths, Tensor h0, Tensor c0) {
        if (x.rank() != 3 || x.dim(2) != inputSize)
            throw new IllegalArgumentException("LSTM expects input [B, T, " + inputSize + "] (batch first), got " + java.util.Arrays.toString(x.shape()));
        if (x.dtype() != dtype) throw new IllegalArgumentException("LSTM holds " + dtype + " weights but the input is " + x.dtype());
        int b = x.dim(0), t = x.dim(1);
        int[] lens = lengths == null ? full(b, t) : lengths;
        if (lens.length != b) throw new IllegalArgumentException("LSTM: " + b + " sequences but " + lens.length + " lengths");
        for (int i = 0; i < b; i++) Masking.checkLength(lens[i], t, i);
        int[] stateShape = {numLayers * directions(), b, hiddenSize};
        checkState("h0", h0, stateShape);
        checkState("c0", c0, stateShape);
        List<Tensor> masks = dropoutMasks(x, b, t);
        return impl == Impl.REFERENCE
                ? LstmReference.forward(this, x, lens, h0, c0, masks)
                : LstmFused.forward(this, x, lens, h0, c0, masks);
    }

    private static int[] full(int b, int t) {
        int[] l = new int[b];
        java.util.Arrays.fill(l, t);
        return l;
    }

    private void checkState(String name, Tensor s, int[] shape) {
        if (s != null && !java.util.Arrays.equals(s.shape(), shape))
            throw new IllegalArgumentException("LSTM " + name + " must be " + java.util.Arrays.toString(shape) + " (layers*directions, batch, hidden), got "
                    + java.util.Arrays.toString(s.shape()));
    }

    /** One mask [B, T, D*H] per layer boundary (numLayers - 1 of them), or an empty list outside training. */
    private List<Tensor> dropoutMasks(Tensor x, int b, int t) {
        List<Tensor> masks = new ArrayList<>();
        if (!isTraining() || dropout == 0) return masks;
        Tensor shape = Tensor.zeros(x.backend(), dtype, b, t, directions() * hiddenSize);
        for (int layer = 0; layer + 1 < numLayers; layer++) masks.add(Dropout.mask(shape, dropout, dropoutRng));
        return masks;
    }
}
