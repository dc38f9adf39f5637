package dev.ser.cuda.cudnn;

import static dev.ser.cuda.cudnn.CudnnConstants.*;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ser.cuda.device.CudaException;
import dev.ser.engine.tensor.DType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The cuDNN descriptors of one LSTM call ({@link RnnShape}) and the calls on them. Addresses are device
 * pointers as {@code long}s (0 for NULL). The descriptors:
 * <ul>
 *   <li>RNN: cudnnSetRNNDescriptor_v8(CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_DOUBLE_BIAS, uni- or
 *       bidirectional, CUDNN_LINEAR_INPUT, dataType = mathPrec = float or double, FMA math for float (TF32 only
 *       when asked), projSize = hiddenSize (no projection), a dropout descriptor set to 0 (our dropout masks are
 *       explicit, applied between separate calls), auxFlags CUDNN_RNN_PADDED_IO_ENABLED (the unpacked layout needs it));</li>
 *   <li>x and y: RNN data descriptors, CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED ([B, T, features], our layout),
 *       the per-sequence lengths, padding filled with 0;</li>
 *   <li>h and c: one tensor descriptor [L*D, B, H], strides [B*H, H, 1] (our h0/c0/h_n/c_n layout).</li>
 * </ul>
 */
public final class CudnnRnn implements AutoCloseable {
    private final Cudnn cudnn;
    private final CudnnFunctions f;
    private final RnnShape shape;
    private final Arena arena = Arena.ofShared();
    private MemorySegment rnn = MemorySegment.NULL, dropout = MemorySegment.NULL, xDesc = MemorySegment.NULL,
            yDesc = MemorySegment.NULL, hDesc = MemorySegment.NULL, mDesc = MemorySegment.NULL, bDesc = MemorySegment.NULL;
    private boolean closed;

    CudnnRnn(Cudnn cudnn, RnnShape shape) {
        this.cudnn = cudnn;
        this.f = cudnn.f;
        this.shape = shape;
        cudnn.makeCurrent.run();
        try {
            dropout = created(f.createDropout, "cudnnCreateDropoutDescriptor");
            // dropout 0 and no RNG states: cuDNN initializes no generator and applies no dropout.
            check((int) f.setDropout.invokeExact(dropout, cudnn.handle, 0f, MemorySegment.NULL, 0L, 0L), "cudnnSetDropoutDescriptor");
            rnn = created(f.createRnn, "cudnnCreateRNNDescriptor");
            int dataType = shape.dataType();
            check((int) f.setRnnV8.invokeExact(rnn, CUDNN_RNN_ALGO_STANDARD, CUDNN_LSTM, CUDNN_RNN_DOUBLE_BIAS,
                    shape.bidirectional() ? CUDNN_BIDIRECTIONAL : CUDNN_UNIDIRECTIONAL, CUDNN_LINEAR_INPUT,
                    dataType, dataType, shape.mathType(),
                    shape.inputSize(), shape.hiddenSize(), shape.hiddenSize(), shape.numLayers(),
                    dropout, CUDNN_RNN_PADDED_IO_ENABLED), "cudnnSetRNNDescriptor_v8");
            xDesc = dataDescriptor(shape.inputSize());
            yDesc = dataDescriptor(shape.numDirections() * shape.hiddenSize());
            hDesc = created(f.createTensor, "cudnnCreateTensorDescriptor");
            int states = shape.numLayers() * shape.numDirections(), b = shape.batch(), h = shape.hiddenSize();
            MemorySegment dims = arena.allocateFrom(JAVA_INT, states, b, h);
            MemorySegment strides = arena.allocateFrom(JAVA_INT, b * h, h, 1);
            check((int) f.setTensorNd.invokeExact(hDesc, dataType, 3, dims, strides), "cudnnSetTensorNdDescriptor");
            mDesc = created(f.createTensor, "cudnnCreateTensorDescriptor");
            bDesc = created(f.createTensor, "cudnnCreateTensorDescriptor");
        } catch (Throwable t) {
            close();
            throw rethrow(t, "creating the cuDNN LSTM descriptors");
        }
    }

    public RnnShape shape() { return shape; }

    private MemorySegment dataDescriptor(int vectorSize) throws Throwable {
        MemorySegment d = created(f.createRnnData, "cudnnCreateRNNDataDescriptor");
        MemorySegment lengths = arena.allocateFrom(JAVA_INT, shape.lengths());
        MemorySegment fill = shape.dtype() == DType.F32 ? arena.allocateFrom(JAVA_FLOAT, 0f) : arena.allocateFrom(JAVA_DOUBLE, 0d);
        check((int) f.setRnnData.invokeExact(d, shape.dataType(), CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED,
                shape.maxSeqLength(), shape.batch(), vectorSize, lengths, fill), "cudnnSetRNNDataDescriptor");
        return d;
    }

    private MemorySegment created(MethodHandle create, String call) throws Throwable {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment out = a.allocate(ADDRESS);
            check((int) create.invokeExact(out), call);
            return out.get(ADDRESS, 0);
        }
    }

    private void check(int status, String call) throws Throwable { cudnn.check(status, call, shape.toString()); }

    private static RuntimeException rethrow(Throwable t, String what) {
        if (t instanceof RuntimeException r) return r;
        if (t instanceof Error e) throw e;
        return new IllegalStateException(what, t);
    }

    private void open() {
        if (closed) throw new IllegalStateException("these cuDNN LSTM descriptors are closed");
        cudnn.makeCurrent.run();
    }

    /** cudnnGetRNNWeightSpaceSize: bytes of the weight space (and of its gradient). */
    public long weightSpaceBytes() {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment size = a.allocate(JAVA_LONG);
            check((int) f.weightSpaceSize.invokeExact(cudnn.handle, rnn, size), "cudnnGetRNNWeightSpaceSize");
            return size.get(JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnGetRNNWeightSpaceSize");
        }
    }

    /** Bytes of scratch (any call) and of the reserve space (kept from a training forward to its backward). */
    public record TempSpace(long workBytes, long reserveBytes) {}

    /** cudnnGetRNNTempSpaceSizes for a training or an inference forward. */
    public TempSpace tempSpace(boolean training) {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment work = a.allocate(JAVA_LONG), reserve = a.allocate(JAVA_LONG);
            check((int) f.tempSpaceSizes.invokeExact(cudnn.handle, rnn, training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE,
                    xDesc, work, reserve), "cudnnGetRNNTempSpaceSizes");
            return new TempSpace(work.get(JAVA_LONG, 0), training ? reserve.get(JAVA_LONG, 0) : 0);
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnGetRNNTempSpaceSizes");
        }
    }

    /**
     * cudnnGetRNNWeightParams for one pseudo-layer and linLayerID on the weight space at {@code weightSpace}:
     * byte offsets of the matrix and the bias from {@code weightSpace} (-1 where cuDNN gives NULL) and their dims.
     */
    public WeightSpaceMap.Param weightParams(int pseudoLayer, int linLayerId, long weightSpace, long weightSpaceBytes) {
        open();
        try (Arena a = Arena.ofConfined()) {
            MemorySegment mAddr = a.allocate(ADDRESS), bAddr = a.allocate(ADDRESS);
            check((int) f.weightParams.invokeExact(cudnn.handle, rnn, pseudoLayer, weightSpaceBytes, MemorySegment.ofAddress(weightSpace),
                    linLayerId, mDesc, mAddr, bDesc, bAddr), "cudnnGetRNNWeightParams");
            long m = mAddr.get(ADDRESS, 0).address(), b = bAddr.get(ADDRESS, 0).address();
            return new WeightSpaceMap.Param(m == 0 ? -1 : m - weightSpace, dims(mDesc, a), b == 0 ? -1 : b - weightSpace, dims(bDesc, a));
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnGetRNNWeightParams");
        }
    }

    private int[] dims(MemorySegment desc, Arena a) throws Throwable {
        int max = 8; // CUDNN_DIM_MAX
        MemorySegment dataType = a.allocate(JAVA_INT), nb = a.allocate(JAVA_INT);
        MemorySegment dims = a.allocate(JAVA_INT, max), strides = a.allocate(JAVA_INT, max);
        check((int) f.getTensorNd.invokeExact(desc, max, dataType, nb, dims, strides), "cudnnGetTensorNdDescriptor");
        int n = Math.min(nb.get(JAVA_INT, 0), max);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = dims.getAtIndex(JAVA_INT, i);
        return out;
    }

    /** The device memory a call works in: the weight space (or its gradient), scratch, and the reserve space. */
    public record Spaces(long weights, long weightBytes, long work, long workBytes, long reserve, long reserveBytes) {}

    private static MemorySegment ptr(long address) { return address == 0 ? MemorySegment.NULL : MemorySegment.ofAddress(address); }

    /**
     * cudnnRNNForward. {@code hx}/{@code cx} 0: zero initial state; {@code hy}/{@code cy} 0: not written.
     * {@code devSeqLengths}: the lengths as int32 in device memory.
     */
    public void forward(boolean training, long devSeqLengths, long x, long y, long hx, long hy, long cx, long cy, Spaces s) {
        open();
        try {
            check((int) f.forward.invokeExact(cudnn.handle, rnn, training ? CUDNN_FWD_MODE_TRAINING : CUDNN_FWD_MODE_INFERENCE,
                    ptr(devSeqLengths), xDesc, ptr(x), yDesc, ptr(y), hDesc, ptr(hx), ptr(hy), hDesc, ptr(cx), ptr(cy),
                    s.weightBytes(), ptr(s.weights()), s.workBytes(), ptr(s.work()), s.reserveBytes(), ptr(s.reserve())), "cudnnRNNForward");
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnRNNForward");
        }
    }

    /** cudnnRNNBackwardData_v8: writes dx, dhx, dcx (each 0: not wanted) from dy, dhy, dcy (0: zero). Must precede {@link #backwardWeights}. */
    public void backwardData(long devSeqLengths, long y, long dy, long dx, long hx, long dhy, long dhx, long cx, long dcy, long dcx, Spaces s) {
        open();
        try {
            check((int) f.backwardData.invokeExact(cudnn.handle, rnn, ptr(devSeqLengths), yDesc, ptr(y), ptr(dy), xDesc, ptr(dx),
                    hDesc, ptr(hx), ptr(dhy), ptr(dhx), hDesc, ptr(cx), ptr(dcy), ptr(dcx),
                    s.weightBytes(), ptr(s.weights()), s.workBytes(), ptr(s.work()), s.reserveBytes(), ptr(s.reserve())), "cudnnRNNBackwardData_v8");
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnRNNBackwardData_v8");
        }
    }

    /** cudnnRNNBackwardWeights_v8 with CUDNN_WGRAD_MODE_ADD: adds the weight gradient into {@code s.weights()} (the gradient space). */
    public void backwardWeights(long devSeqLengths, long x, long hx, long y, Spaces s) {
        open();
        try {
            check((int) f.backwardWeights.invokeExact(cudnn.handle, rnn, CUDNN_WGRAD_MODE_ADD, ptr(devSeqLengths), xDesc, ptr(x),
                    hDesc, ptr(hx), yDesc, ptr(y), s.weightBytes(), ptr(s.weights()), s.workBytes(), ptr(s.work()),
                    s.reserveBytes(), ptr(s.reserve())), "cudnnRNNBackwardWeights_v8");
        } catch (Throwable t) {
            throw rethrow(t, "calling cudnnRNNBackwardWeights_v8");
        }
    }

    /** Destroys the descriptors (the handle stays). */
    @Override public void close() {
        if (closed) return;
        closed = true;
        cudnn.makeCurrent.run();
        Throwable first = null;
        Object[][] owned = {{f.destroyTensor, mDesc}, {f.destroyTensor, bDesc}, {f.destroyTensor, hDesc},
                {f.destroyRnnData, xDesc}, {f.destroyRnnData, yDesc}, {f.destroyRnn, rnn}, {f.destroyDropout, dropout}};
        for (Object[] o : owned) {
            MemorySegment d = (MemorySegment) o[1];
            if (d.equals(MemorySegment.NULL)) continue;
            try {
                int status = (int) ((MethodHandle) o[0]).invokeExact(d);
                if (status != 0 && first == null) first = new CudaException("destroying a cuDNN descriptor", status, "status " + status, null);
            } catch (Throwable t) {
                if (first == null) first = t;
            }
        }
        arena.close();
        if (first != null) throw rethrow(first, "destroying cuDNN descriptors");
    }
}
