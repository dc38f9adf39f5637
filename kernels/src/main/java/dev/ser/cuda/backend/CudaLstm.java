package dev.ser.cuda.backend;

import dev.ser.cuda.device.Blas;
import dev.ser.cuda.device.Device;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's nn.LSTM on the device, the CPU's algorithm (backend/cpu/LstmF32, LstmDirectionF32) step for
 * step: per layer and direction one GEMM for every step's input projection {@code x W_ih^T}, then the
 * recurrence over the steps ({@link LstmRecurrence}: {@link PerStepLstm}, a recurrent GEMM
 * {@code h W_hh^T} and a fused cell kernel per step, or {@link PersistentLstm}, all steps in one
 * cooperative launch). The backward mirrors it: the recurrence backward (per step the cell backward and
 * {@code da W_hh}); after it one GEMM each for dW_ih, dW_hh and dx, and a column sum for the biases.
 * Padded steps (packed-sequence semantics) are handled inside the recurrence from the lengths, exactly
 * as on the CPU.
 *
 * <p>Workspaces (gates, saved states, layer outputs) are raw device buffers, freed as soon as the
 * backward has used them (or after an inference pass); only y, h_n and c_n are tensors.
 */
final class CudaLstm {
    private final CudaBackend backend;
    private final LstmConfig config;
    private final Device device;
    private final Kernels kernels;
    private final Blas blas;
    private final LstmRecurrence recurrence;

    CudaLstm(CudaBackend backend, LstmConfig config, LstmRecurrence recurrence) {
        this.backend = backend;
        this.config = config;
        this.device = backend.device();
        this.kernels = backend.kernels();
        this.blas = device.blas();
        this.recurrence = recurrence;
    }

    /** Raw device memory of one dtype, counted in elements. */
    private final class Buffer {
        final long address;
        final long elements;
        final DType dtype;
        private boolean freed;

        Buffer(DType dtype, long elements) {
            this.dtype = dtype;
            this.elements = elements;
            this.address = backend.memory().alloc(elements * dtype.bytes);
        }

        long at(long element) { return address + element * dtype.bytes; }

        Buffer zeroed() {
            device.zero(address, elements * dtype.bytes);
            return this;
        }

        void free() {
            if (!freed) backend.memory().free(address, elements * dtype.bytes);
            freed = true;
        }
    }

    /** What one layer and direction keeps from its forward for its backward. */
    private final class Direction {
        final int layer, dir, inputSize;
        final long input, wIh, wHh;
        Buffer gates, hPrev, cPrev, tanhC, h, c;

        Direction(int layer, int dir, int inputSize, long input, long wIh, long wHh) {
            this.layer = layer;
            this.dir = dir;
            this.inputSize = inputSize;
            this.input = input;
            this.wIh = wIh;
            this.wHh = wHh;
        }

        /** What the recurrence needs; h and c are the running state (forward) or its gradient (backward). */
        LstmRecurrence.Steps steps(DType dtype, int batch, int steps, int hidden, int maxLen, long lengths) {
            return new LstmRecurrence.Steps(dtype, batch, steps, hidden, dir == 1, maxLen, lengths, gates.address, wHh,
                    h.address, c.address);
        }

        void free() {
            for (Buffer b : new Buffer[]{gates, hPrev, cPrev, tanhC, h, c}) if (b != null) b.free();
        }
    }

    LstmPass run(List<Tensor> weights, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> masks, boolean training) {
        DType dtype = x.dtype();
        int batch = x.dim(0), steps = x.dim(1), hidden = config.hiddenSize(), dirs = config.numDirections();
        int layers = config.numLayers();
        check(config, weights, x, lengths, h0, c0, masks);
        int[] lens = lengths != null ? lengths.clone() : full(batch, steps);
        int maxLen = Arrays.stream(lens).max().orElse(0);
        DeviceInts deviceLengths = backend.ints(lens);
        int[] stateShape = {layers * dirs, batch, hidden};
        Tensor y = backend.empty(dtype, new int[]{batch, steps, config.outputSize()});
        Tensor hN = backend.empty(dtype, stateShape), cN = backend.empty(dtype, stateShape);

        List<Direction> passes = new ArrayList<>();
        List<Buffer> layerOutputs = new ArrayList<>();
        long input = backend.address(x);
        long bt = (long) batch * steps;
        for (int l = 0; l < layers; l++) {
            long out;
            if (l == layers - 1) out = backend.address(y);
            else {
                Buffer b = new Buffer(dtype, bt * config.outputSize());
                layerOutputs.add(b);
                out = b.address;
            }
            for (int d = 0; d < dirs; d++) {
                int w = config.weightIndex(l, d);
                Direction pass = new Direction(l, d, config.layerInputSize(l), input,
                        backend.address(weights.get(w)), backend.address(weights.get(w + 1)));
                forward(pass, dtype, batch, steps, maxLen, deviceLengths.address(),
                        backend.address(weights.get(w + 2)), backend.address(weights.get(w + 3)),
                        backend.addressOrNull(h0), backend.addressOrNull(c0), out, backend.address(hN), backend.address(cN), training);
                passes.add(pass);
            }
            if (l < layers - 1 && masks != null && !masks.isEmpty() && masks.get(l) != null) {
                backend.multiply(dtype, bt * config.outputSize(), out, backend.address(masks.get(l)), out);
            }
            input = out;
        }
        if (!training) {
            passes.forEach(Direction::free);
            layerOutputs.forEach(Buffer::free);
            deviceLengths.free();
            return new LstmPass(y, hN, cN, null);
        }
        return new LstmPass(y, hN, cN, SingleUseBackward.of(
                (dy, dhN, dcN, dx, dh0, dc0, grads) -> backward(passes, dtype, batch, steps, maxLen, deviceLengths.address(), masks,
                        dy, dhN, dcN, dx, dh0, dc0, grads, weights),
                () -> {
                    passes.forEach(Direction::free);
                    layerOutputs.forEach(Buffer::free);
                    deviceLengths.free();
                }));
    }

    private void forward(Direction p, DType dtype, int batch, int steps, int maxLen, long lengths, long bIh, long bHh,
                         long h0, long c0, long out, long hN, long cN, boolean training) {
        int hidden = config.hiddenSize(), g4 = 4 * hidden, dirs = config.numDirections();
        int bt = batch * steps;
        long stateOffset = (long) (p.layer * dirs + p.dir) * batch * hidden;
        p.gates = new Buffer(dtype, (long) bt * g4);
        kernels.lstmBiasInit(dtype, bt, g4, bIh, bHh, p.gates.address);
        RowMajorGemm.gemm(blas, dtype, false, true, bt, g4, p.inputSize, 1, p.input, p.inputSize, p.wIh, p.inputSize,
                1, p.gates.address, g4);
        p.h = new Buffer(dtype, (long) batch * hidden);
        p.c = new Buffer(dtype, (long) batch * hidden);
        initState(p.h, h0, stateOffset);
        initState(p.c, c0, stateOffset);
        if (training) {
            p.hPrev = new Buffer(dtype, (long) bt * hidden);
            p.cPrev = new Buffer(dtype, (long) bt * hidden);
            p.tanhC = new Buffer(dtype, (long) bt * hidden);
        }
        long hPrev = p.hPrev == null ? 0 : p.hPrev.address, cPrev = p.cPrev == null ? 0 : p.cPrev.address;
        long tanhC = p.tanhC == null ? 0 : p.tanhC.address;
        recurrence.forward(p.steps(dtype, batch, steps, hidden, maxLen, lengths), out, p.dir * hidden, dirs * hidden, hPrev, cPrev, tanhC);
        long stateBytes = (long) batch * hidden * dtype.bytes;
        device.copyOnDevice(p.h.address, hN + stateOffset * dtype.bytes, stateBytes);
        device.copyOnDevice(p.c.address, cN + stateOffset * dtype.bytes, stateBytes);
    }

    private void initState(Buffer state, long given, long offset) {
        if (given == 0) state.zeroed();
        else device.copyOnDevice(given + offset * state.dtype.bytes, state.address, state.elements * state.dtype.bytes);
    }

    private void backward(List<Direction> passes, DType dtype, int batch, int steps, int maxLen, long lengths, List<Tensor> masks,
                          Tensor dy, Tensor dhN, Tensor dcN, Tensor dx, Tensor dh0, Tensor dc0, List<Tensor> grads,
                          List<Tensor> weights) {
        int hidden = config.hiddenSize(), dirs = config.numDirections(), layers = config.numLayers();
        long bt = (long) batch * steps;
        List<Buffer> scratch = new ArrayList<>();
        long[] weightGrads = new long[config.numWeights()];
        for (int i = 0; i < weightGrads.length; i++) {
            Tensor g = grads == null ? null : grads.get(i);
            if (g != null) weightGrads[i] = backend.address(g);
            else {
                Buffer b = new Buffer(dtype, weights.get(i).numel()).zeroed();
                scratch.add(b);
                weightGrads[i] = b.address;
            }
        }
        try {
            long dOut = backend.address(dy);
            for (int l = layers - 1; l >= 0; l--) {
                int inputSize = config.layerInputSize(l);
                long dIn;
                if (l > 0) {
                    Buffer b = new Buffer(dtype, bt * inputSize).zeroed();
                    scratch.add(b);
                    dIn = b.address;
                } else if (dx != null) {
                    dIn = backend.address(dx);
                    device.zero(dIn, CudaBackend.bytes(dx));
                } else dIn = 0;
                for (int d = 0; d < dirs; d++) {
                    int w = config.weightIndex(l, d);
                    backwardDirection(passes.get(l * dirs + d), dtype, batch, steps, maxLen, lengths, dOut,
                            backend.addressOrNull(dhN), backend.addressOrNull(dcN), dIn,
                            backend.addressOrNull(dh0), backend.addressOrNull(dc0),
                            weightGrads[w], weightGrads[w + 1], weightGrads[w + 2], weightGrads[w + 3]);
                }
                // Layer l's input was mask * y_{l-1}, so dL/dy_{l-1} = mask * dL/d(input).
                if (l > 0 && masks != null && !masks.isEmpty() && masks.get(l - 1) != null) {
                    backend.multiply(dtype, bt * inputSize, dIn, backend.address(masks.get(l - 1)), dIn);
                }
                dOut = dIn;
            }
        } finally {
            scratch.forEach(Buffer::free);
        }
    }

    private void backwardDirection(Direction p, DType dtype, int batch, int steps, int maxLen, long lengths, long dy,
                                   long dhN, long dcN, long dIn, long dh0, long dc0,
                                   long dWih, long dWhh, long dbIh, long dbHh) {
        int hidden = config.hiddenSize(), g4 = 4 * hidden, dirs = config.numDirections();
        int bt = batch * steps;
        long stateOffset = (long) (p.layer * dirs + p.dir) * batch * hidden;
        Buffer dh = p.h, dc = p.c; // the forward's running state becomes the backward's running gradient
        initState(dh, dhN, stateOffset);
        initState(dc, dcN, stateOffset);
        Buffer db = new Buffer(dtype, g4);
        try {
            // The forward's running state buffers now carry dL/dh and dL/dc.
            recurrence.backward(p.steps(dtype, batch, steps, hidden, maxLen, lengths), p.cPrev.address, p.tanhC.address,
                    dy, p.dir * hidden, dirs * hidden);
            long stateBytes = (long) batch * hidden * dtype.bytes;
            if (dh0 != 0) device.copyOnDevice(dh.address, dh0 + stateOffset * dtype.bytes, stateBytes);
            if (dc0 != 0) device.copyOnDevice(dc.address, dc0 + stateOffset * dtype.bytes, stateBytes);
            // All steps at once (gates now hold dL/da, zero on padded steps).
            RowMajorGemm.gemm(blas, dtype, true, false, g4, p.inputSize, bt, 1, p.gates.address, g4, p.input, p.inputSize,
                    1, dWih, p.inputSize);
            RowMajorGemm.gemm(blas, dtype, true, false, g4, hidden, bt, 1, p.gates.address, g4, p.hPrev.address, hidden,
                    1, dWhh, hidden);
            kernels.sum(dtype, 1, bt, g4, p.gates.address, db.address);
            kernels.accumulate(dtype, g4, db.address, dbIh);
            kernels.accumulate(dtype, g4, db.address, dbHh);
            if (dIn != 0)
                RowMajorGemm.gemm(blas, dtype, false, false, bt, p.inputSize, g4, 1, p.gates.address, g4, p.wIh, p.inputSize,
                        1, dIn, p.inputSize);
        } finally {
            db.free();
        }
    }

    /** The contract's argument checks, shared with {@link CudnnLstm}. */
    static void check(LstmConfig config, List<Tensor> weights, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> masks) {
        if (x.rank() != 3 || x.dim(2) != config.inputSize())
            throw new IllegalArgumentException("LSTM expects x [B, T, " + config.inputSize() + "], got " + Arrays.toString(x.shape()));
        if (weights.size() != config.numWeights())
            throw new IllegalArgumentException("expected " + config.numWeights() + " weights in order " + config.weightNames() + ", found " + weights.size());
        for (int i = 0; i < weights.size(); i++) {
            if (!Arrays.equals(weights.get(i).shape(), config.weightShape(i)) || weights.get(i).dtype() != x.dtype())
                throw new IllegalArgumentException(config.weightName(i) + ": expected " + x.dtype() + " " + Arrays.toString(config.weightShape(i))
                        + ", found " + weights.get(i).dtype() + " " + Arrays.toString(weights.get(i).shape()));
        }
        LstmConfig.checkLengths(lengths, x.dim(0), x.dim(1));
        int[] state = {config.numLayers() * config.numDirections(), x.dim(0), config.hiddenSize()};
        for (Tensor s : new Tensor[]{h0, c0})
            if (s != null && !Arrays.equals(s.shape(), state))
                throw new IllegalArgumentException("LSTM initial state must be " + Arrays.toString(state) + ", got " + Arrays.toString(s.shape()));
        if (masks != null && masks.size() > Math.max(0, config.numLayers() - 1))
            throw new IllegalArgumentException(masks.size() + " dropout masks for " + config.numLayers() + " layers (at most one per boundary)");
    }

    static int[] full(int batch, int steps) {
        int[] l = new int[batch];
        Arrays.fill(l, steps);
        return l;
    }
}
