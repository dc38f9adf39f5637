package dev.ser.cuda.backend;

import dev.ser.cuda.cudnn.Cudnn;
import dev.ser.cuda.cudnn.CudnnRnn;
import dev.ser.cuda.cudnn.RnnShape;
import dev.ser.cuda.cudnn.WeightSpaceMap;
import dev.ser.cuda.device.Device;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * PyTorch's nn.LSTM through cuDNN's RNN (the same contract as {@link CudaLstm}: batch-first, gates i, f, g, o,
 * PyTorch's flat-weights order, ragged lengths with packed-sequence semantics, h0/c0 [L*D, B, H], explicit
 * dropout masks between layers; the backward overwrites dx, dh0, dc0 and adds into the weight gradients).
 *
 * <p>How: our parameters are copied into cuDNN's weight space block by block ({@link WeightSpaceMap}), one
 * cudnnRNNForward runs the stack, and the backward runs cudnnRNNBackwardData_v8 then
 * cudnnRNNBackwardWeights_v8 into a zeroed gradient space whose blocks are added into our gradients.
 *
 * <p>Dropout between layers: cuDNN would run all layers in one call only with its own dropout (its random
 * numbers, not our masks). Without masks the whole stack is one call; with any mask, each layer is its own
 * call (a one-layer descriptor, its own weight space and reserve space) and the mask is applied between
 * them with our MUL kernel, into a separate buffer: cuDNN's backward needs the layer's own (unmasked) output
 * y, and the next layer's backward needs its (masked) input x. The backward multiplies the gradient of the
 * masked input by the mask to get the gradient of the previous layer's output.
 *
 * <p>Memory: weight, gradient, reserve and scratch spaces are raw device buffers, freed as soon as the
 * backward has run (or after an inference forward); scratch is taken again for the backward rather than
 * held between the two.
 */
final class CudnnLstm {
    private final CudaBackend backend;
    private final Cudnn cudnn;
    private final LstmConfig config;
    private final Device device;
    private final Kernels kernels;
    private final boolean tf32;

    CudnnLstm(CudaBackend backend, Cudnn cudnn, LstmConfig config, boolean tf32) {
        this.backend = backend;
        this.cudnn = cudnn;
        this.config = config;
        this.device = backend.device();
        this.kernels = backend.kernels();
        this.tf32 = tf32;
    }

    /** Raw device memory in bytes, freed once. */
    private final class Raw {
        final long address, bytes;
        private boolean freed;

        Raw(long bytes) {
            this.bytes = bytes;
            this.address = backend.memory().alloc(bytes);
        }

        void free() {
            if (!freed) backend.memory().free(address, bytes);
            freed = true;
        }
    }

    /** One cuDNN call: layers first .. first + count - 1, with what its backward needs. */
    private final class Group {
        final int first, count;
        final CudnnRnn rnn;
        final Raw weights;
        final List<WeightSpaceMap.Block> blocks;
        final long input;        // this group's x (the LSTM's x or the previous group's masked output)
        long output;             // this group's y (the LSTM's y for the last group)
        Raw outputBuffer, maskedOutput, reserve;
        long workBytes;

        Group(int first, int count, RnnShape shape, List<Tensor> weightTensors, long input) {
            this.first = first;
            this.count = count;
            this.input = input;
            this.rnn = cudnn.lstm(shape);
            Raw w = null;
            try {
                long bytes = rnn.weightSpaceBytes();
                w = new Raw(bytes);
                Raw space = w;
                int elementBytes = shape.dtype().bytes;
                this.blocks = WeightSpaceMap.plan(config, first, count, elementBytes, bytes,
                        (pseudo, lin) -> rnn.weightParams(pseudo, lin, space.address, bytes));
                // cuDNN's weight space may hold padding we do not fill: zero it first, so that no garbage is ever read.
                device.zero(w.address, bytes);
                for (WeightSpaceMap.Block b : blocks)
                    device.copyOnDevice(backend.address(weightTensors.get(b.weightIndex())) + b.weightOffset() * elementBytes,
                            w.address + b.spaceOffset(), b.elements() * elementBytes);
                this.weights = w;
            } catch (RuntimeException e) {
                if (w != null) w.free();
                rnn.close();
                throw e;
            }
        }

        long stateOffsetBytes(DType dtype, int batch) {
            return (long) first * config.numDirections() * batch * config.hiddenSize() * dtype.bytes;
        }

        void free() {
            for (Raw r : new Raw[]{weights, outputBuffer, maskedOutput, reserve}) if (r != null) r.free();
            rnn.close();
        }
    }

    LstmPass run(List<Tensor> weights, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> masks, boolean training) {
        CudaLstm.check(config, weights, x, lengths, h0, c0, masks);
        DType dtype = x.dtype();
        int batch = x.dim(0), steps = x.dim(1), layers = config.numLayers(), dirs = config.numDirections();
        int[] lens = lengths != null ? lengths.clone() : CudaLstm.full(batch, steps);
        int[] stateShape = {layers * dirs, batch, config.hiddenSize()};
        Tensor y = backend.empty(dtype, new int[]{batch, steps, config.outputSize()});
        Tensor hN = backend.empty(dtype, stateShape), cN = backend.empty(dtype, stateShape);
        boolean perLayer = hasMask(masks);
        long outputBytes = (long) batch * steps * config.outputSize() * dtype.bytes;

        DeviceInts deviceLengths = backend.ints(lens);
        List<Group> groups = new ArrayList<>();
        try {
            long input = backend.address(x);
            int groupCount = perLayer ? layers : 1;
            for (int g = 0; g < groupCount; g++) {
                int first = perLayer ? g : 0, count = perLayer ? 1 : layers;
                RnnShape shape = new RnnShape(dtype, config.layerInputSize(first), config.hiddenSize(), count, config.bidirectional(),
                        batch, steps, lens, tf32);
                Group group = new Group(first, count, shape, weights, input);
                groups.add(group);
                boolean last = g == groupCount - 1;
                if (last) group.output = backend.address(y);
                else {
                    group.outputBuffer = new Raw(outputBytes);
                    group.output = group.outputBuffer.address;
                }
                device.zero(group.output, outputBytes); // padded steps are 0, as on the CPU, whatever cuDNN does with them
                CudnnRnn.TempSpace temp = group.rnn.tempSpace(training);
                group.workBytes = temp.workBytes();
                if (training) group.reserve = new Raw(temp.reserveBytes());
                Raw work = new Raw(temp.workBytes());
                try {
                    long stateOffset = group.stateOffsetBytes(dtype, batch);
                    group.rnn.forward(training, deviceLengths.address(), group.input, group.output,
                            offset(backend.addressOrNull(h0), stateOffset), backend.address(hN) + stateOffset,
                            offset(backend.addressOrNull(c0), stateOffset), backend.address(cN) + stateOffset,
                            spaces(group.weights, work, group.reserve));
                } finally {
                    work.free();
                }
                input = group.output;
                Tensor mask = last ? null : maskAt(masks, first);
                if (mask != null) {
                    // The next layer reads mask * y; y itself is kept for this layer's backward.
                    group.maskedOutput = new Raw(outputBytes);
                    backend.multiply(dtype, (long) batch * steps * config.outputSize(), group.output, backend.address(mask),
                            group.maskedOutput.address);
                    input = group.maskedOutput.address;
                }
            }
        } catch (RuntimeException e) {
            groups.forEach(Group::free);
            deviceLengths.free();
            throw e;
        }
        if (!training) {
            groups.forEach(Group::free);
            deviceLengths.free();
            return new LstmPass(y, hN, cN, null);
        }
        // The closure holds x, y, h0, c0 and the weights: cuDNN's backward reads them.
        return new LstmPass(y, hN, cN, SingleUseBackward.of(
                (dy, dhN, dcN, dx, dh0, dc0, grads) -> backward(groups, dtype, batch, steps, deviceLengths.address(), x, y, h0, c0,
                        masks, weights, dy, dhN, dcN, dx, dh0, dc0, grads),
                () -> {
                    groups.forEach(Group::free);
                    deviceLengths.free();
                }));
    }

    private void backward(List<Group> groups, DType dtype, int batch, int steps, long lengths, Tensor x, Tensor y,
                          Tensor h0, Tensor c0, List<Tensor> masks, List<Tensor> weights,
                          Tensor dy, Tensor dhN, Tensor dcN, Tensor dx, Tensor dh0, Tensor dc0, List<Tensor> grads) {
        int elementBytes = dtype.bytes;
        long bt = (long) batch * steps;
        List<Raw> scratch = new ArrayList<>();
        try {
            long dOut = backend.address(dy);
            for (int g = groups.size() - 1; g >= 0; g--) {
                Group group = groups.get(g);
                long inputBytes = bt * config.layerInputSize(group.first) * elementBytes;
                long dIn;
                if (g == 0 && dx != null) dIn = backend.address(dx);
                else {
                    Raw r = new Raw(inputBytes);
                    scratch.add(r);
                    dIn = r.address;
                }
                device.zero(dIn, inputBytes); // padded steps' gradient is 0, as on the CPU
                long stateOffset = group.stateOffsetBytes(dtype, batch);
                Raw work = new Raw(group.workBytes);
                Raw gradSpace = new Raw(group.weights.bytes);
                try {
                    CudnnRnn.Spaces spaces = spaces(group.weights, work, group.reserve);
                    long hx = offset(backend.addressOrNull(h0), stateOffset), cx = offset(backend.addressOrNull(c0), stateOffset);
                    group.rnn.backwardData(lengths, group.output, dOut, dIn,
                            hx, offset(backend.addressOrNull(dhN), stateOffset), offset(backend.addressOrNull(dh0), stateOffset),
                            cx, offset(backend.addressOrNull(dcN), stateOffset), offset(backend.addressOrNull(dc0), stateOffset), spaces);
                    if (grads != null && grads.stream().anyMatch(java.util.Objects::nonNull)) {
                        device.zero(gradSpace.address, gradSpace.bytes);
                        group.rnn.backwardWeights(lengths, group.input, hx, group.output,
                                new CudnnRnn.Spaces(gradSpace.address, gradSpace.bytes, work.address, work.bytes,
                                        group.reserve.address, group.reserve.bytes));
                        for (WeightSpaceMap.Block b : group.blocks) {
                            Tensor grad = grads.get(b.weightIndex());
                            if (grad != null)
                                kernels.accumulate(dtype, b.elements(), gradSpace.address + b.spaceOffset(),
                                        backend.address(grad) + b.weightOffset() * elementBytes);
                        }
                    }
                } finally {
                    work.free();
                    gradSpace.free();
                }
                // Layer first's input was mask * y_{first-1}, so dL/dy_{first-1} = mask * dL/d(input).
                Tensor mask = g > 0 ? maskAt(masks, group.first - 1) : null;
                if (mask != null) {
                    backend.multiply(dtype, bt * config.layerInputSize(group.first), dIn, backend.address(mask), dIn);
                }
                dOut = dIn;
            }
        } finally {
            scratch.forEach(Raw::free);
        }
    }

    private static CudnnRnn.Spaces spaces(Raw weights, Raw work, Raw reserve) {
        return new CudnnRnn.Spaces(weights.address, weights.bytes, work.address, work.bytes,
                reserve == null ? 0 : reserve.address, reserve == null ? 0 : reserve.bytes);
    }

    /** {@code base + offset}, or 0 (NULL: zero state, or not wanted) when {@code base} is 0. */
    private static long offset(long base, long offset) { return base == 0 ? 0 : base + offset; }

    private static boolean hasMask(List<Tensor> masks) {
        if (masks == null) return false;
        for (Tensor m : masks) if (m != null) return true;
        return false;
    }

    private static Tensor maskAt(List<Tensor> masks, int boundary) {
        return masks == null || boundary >= masks.size() ? null : masks.get(boundary);
    }
}
