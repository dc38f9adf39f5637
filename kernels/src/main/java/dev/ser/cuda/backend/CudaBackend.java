package dev.ser.cuda.backend;

import dev.ser.cuda.cudnn.Cudnn;
import dev.ser.cuda.device.CudaDevice;
import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.Device;
import dev.ser.cuda.device.Devices;
import dev.ser.cuda.kernels.Kernels;
import dev.ser.engine.backend.AdamUpdate;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.backend.ShapeRules;
import dev.ser.engine.backend.ShapeRules.AxisLayout;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The engine's {@link Backend} on a CUDA device: tensors in device memory, elementwise work, reductions,
 * softmax, the loss, the LSTM cell and Adam in the project's own kernels ({@code kernels/src/main/cuda}),
 * products in cuBLAS. The same class runs on the emulated device (the kernels compiled for the CPU), which
 * is how its tests run where there is no GPU.
 *
 * <p>Everything is issued on the device's one stream; only {@link #toHost}, {@link #squaredNorm} and the
 * loss's scalar (via {@code Tensor.item()}) wait for it.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    private final Device device;
    private final Kernels kernels;
    private final DeviceMemory memory;
    private final String name;
    private boolean tf32;
    private Cudnn cudnn;
    private String cudnnMissing; // why cuDNN cannot be opened here, once known
    private final PerStepLstm perStepLstm;
    private final PersistentLstm persistentLstm;

    public CudaBackend(Device device) {
        this.device = device;
        this.kernels = new Kernels(device);
        this.memory = new DeviceMemory(device);
        this.name = "cuda: " + device.name();
        this.perStepLstm = new PerStepLstm(this);
        this.persistentLstm = new PersistentLstm(this, perStepLstm);
    }

    /** The persistent recurrence: its plans, its fallback reason, how often it ran (tests, benchmarks). */
    PersistentLstm persistentLstm() { return persistentLstm; }

    /** "cuda" (the GPU; fails saying what is missing), "emulated" (the kernels on the CPU). */
    public static CudaBackend open(String which) {
        return switch (which) {
            case "cuda" -> new CudaBackend(Devices.cuda());
            case "emulated" -> new CudaBackend(Devices.emulated());
            default -> throw new IllegalArgumentException("unknown CUDA device '" + which + "': use cuda or emulated");
        };
    }

    public Device device() { return device; }

    /**
     * TF32 tensor-core math for float32 products (cuBLAS's CUBLAS_TF32_TENSOR_OP_MATH): faster on Ampere and
     * later, with inputs rounded to 10-bit mantissas (relative error up to ~1e-3 per product). Off by default.
     */
    public CudaBackend tf32(boolean enabled) {
        device.blas().setTf32(enabled);
        tf32 = enabled;
        return this;
    }

    /**
     * The device's cuDNN handle for {@link LstmAlgorithm#CUDNN} ({@link CudnnLstm}), opened on first use; needs a
     * real GPU and cuDNN 9 and fails saying what is missing. With {@link #tf32} on, cuDNN may use TF32 for float32.
     */
    synchronized Cudnn cudnn() {
        if (cudnn == null) {
            if (!(device instanceof CudaDevice cuda))
                throw new CudaException("cuDNN runs only on a real GPU (--device cuda); " + device.name() + " has none");
            cudnn = Cudnn.create(cuda.streamHandle(), cuda::makeCurrent);
        }
        return cudnn;
    }

    /** Whether {@link #cudnn()} opens; the first failure is remembered ({@link #cudnnMissing()}). */
    synchronized boolean cudnnAvailable() {
        if (cudnn != null) return true;
        if (cudnnMissing != null) return false;
        try {
            cudnn();
            return true;
        } catch (CudaException | LinkageError e) {
            cudnnMissing = e.getMessage();
            return false;
        }
    }

    /** Why cuDNN is not available on this backend (null when it is, or was not tried). */
    public synchronized String cudnnMissing() { return cudnnMissing; }

    Kernels kernels() { return kernels; }

    DeviceMemory memory() { return memory; }

    @Override public String name() { return name; }

    @Override public void close() {
        if (cudnn != null) cudnn.close();
        device.close();
    }

    // ---- memory ---------------------------------------------------------------------------------

    /** A tensor whose elements are not initialized: every caller overwrites all of them. */
    Tensor empty(DType dtype, int[] shape) {
        return new Tensor(new DeviceStorage(this, memory, dtype, Shape.numel(shape)), shape);
    }

    long address(Tensor t) {
        if (t.storage() instanceof DeviceStorage s && s.backend() == this) return s.address();
        throw new IllegalArgumentException("a tensor on " + t.backend().name() + " was given to " + name
                + "; move it first (tensor.to(backend), module.moveTo(backend))");
    }

    /** The address of a nullable tensor; 0 (the null pointer) for null. */
    long addressOrNull(Tensor t) { return t == null ? 0 : address(t); }

    static long bytes(Tensor t) { return (long) t.numel() * t.dtype().bytes; }

    @Override public Tensor zeros(DType dtype, int[] shape) {
        Tensor t = empty(dtype, shape);
        device.zero(address(t), bytes(t));
        return t;
    }

    @Override public Tensor to(Tensor t) {
        if (t.backend() == this) return t;
        HostStorage h = t.toHost().host();
        Tensor out = empty(t.dtype(), t.shape());
        MemorySegment src = h.f != null ? MemorySegment.ofArray(h.f) : MemorySegment.ofArray(h.d);
        device.copyToDevice(src, address(out), bytes(out));
        return out;
    }

    @Override public Tensor toHost(Tensor t) {
        Tensor out = Tensor.zeros(t.dtype(), t.shape());
        HostStorage h = out.host();
        MemorySegment dst = h.f != null ? MemorySegment.ofArray(h.f) : MemorySegment.ofArray(h.d);
        device.copyToHost(address(t), dst, bytes(t));
        return out;
    }

    /** out = a * mask over n contiguous elements (out may be a): the dropout masks between LSTM layers. */
    void multiply(DType dtype, long n, long a, long mask, long out) {
        kernels.binary(dtype, BinaryOp.MUL, new int[]{Math.toIntExact(n)}, a, new int[]{1}, mask, new int[]{1}, out);
    }

    /** int values (lengths, targets) as an int32 device array, freed with the returned owner. */
    DeviceInts ints(int[] values) {
        DeviceInts d = new DeviceInts(memory, values.length);
        device.copyToDevice(MemorySegment.ofArray(values), d.address(), 4L * values.length);
        return d;
    }

    // ---- elementwise ------------------------------------------------------------------------------

    @Override public Tensor copy(Tensor a) {
        Tensor out = empty(a.dtype(), a.shape());
        device.copyOnDevice(address(a), address(out), bytes(a));
        return out;
    }

    @Override public Tensor cast(Tensor a, DType dtype) {
        if (a.dtype() == dtype) return copy(a);
        Tensor out = empty(dtype, a.shape());
        kernels.cast(a.dtype(), dtype, a.numel(), address(a), address(out));
        return out;
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        ShapeRules.sameDType(a, b);
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = empty(a.dtype(), shape);
        kernels.binary(a.dtype(), op, shape, address(a), Shape.broadcastStrides(a.shape(), shape),
                address(b), Shape.broadcastStrides(b.shape(), shape), address(out));
        return out;
    }

    @Override public Tensor affine(Tensor a, double s, double t) {
        Tensor out = empty(a.dtype(), a.shape());
        kernels.affine(a.dtype(), a.numel(), address(a), s, t, address(out));
        return out;
    }

    @Override public Tensor unary(UnaryOp op, Tensor x) {
        Tensor out = empty(x.dtype(), x.shape());
        kernels.unary(x.dtype(), op, x.numel(), address(x), address(out));
        return out;
    }

    @Override public Tensor unaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor g) {
        Tensor out = empty(g.dtype(), g.shape());
        kernels.unaryGrad(g.dtype(), op, g.numel(), addressOrNull(x), addressOrNull(y), address(g), address(out));
        return out;
    }

    @Override public Tensor reduceTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) return g;
        // Sum each stretched axis in turn (keeping it as 1), then drop the leading axes shape lacks.
        int[] gs = g.shape();
        int lead = gs.length - shape.length;
        if (lead < 0 || !Arrays.equals(Shape.broadcast(shape, gs), gs))
            throw new IllegalArgumentException("reduceTo: " + Shape.str(gs) + " is not a broadcast of " + Shape.str(shape));
        Tensor acc = g;
        for (int axis = 0; axis < gs.length; axis++) {
            boolean stretched = axis < lead || shape[axis - lead] == 1;
            if (stretched && gs[axis] != 1) acc = sum(acc, axis, true);
        }
        // Only size-1 axes were dropped or added: the same elements in the same order.
        return new Tensor((acc == g ? copy(g) : acc).storage(), shape);
    }

    @Override public Tensor expand(Tensor a, int[] shape) {
        if (Arrays.equals(a.shape(), shape)) return a;
        Shape.broadcast(a.shape(), shape); // throws for shapes that do not broadcast
        Tensor out = empty(a.dtype(), shape);
        kernels.gather(a.dtype(), shape, address(a), 0, Shape.broadcastStrides(a.shape(), shape), address(out));
        return out;
    }

    // ---- products ----------------------------------------------------------------------------------

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        ShapeRules.MatMul mm = ShapeRules.MatMul.of(a, b, transA, transB);
        int[] as = a.shape(), bs = b.shape(), batchA = mm.batchA(), batchB = mm.batchB(), batch = mm.batch();
        int m = mm.m(), n = mm.n(), k = mm.k();
        int batches = Shape.numel(batch);
        // Strided-batched GEMM covers a batch that is full or a single repeated matrix on each side;
        // any other broadcast is expanded to full first.
        Tensor ea = Shape.numel(batchA) == 1 || Arrays.equals(batchA, batch) ? a : expand(a, withMatrix(batch, as));
        Tensor eb = Shape.numel(batchB) == 1 || Arrays.equals(batchB, batch) ? b : expand(b, withMatrix(batch, bs));
        Tensor out = empty(a.dtype(), mm.outShape());
        if (batches == 0 || m == 0 || n == 0) return out;
        if (k == 0) { device.zero(address(out), bytes(out)); return out; }
        int lda = as[as.length - 1], ldb = bs[bs.length - 1];
        long strideA = ea.numel() == m * k ? 0 : (long) m * k, strideB = eb.numel() == k * n ? 0 : (long) k * n;
        RowMajorGemm.gemm(device.blas(), a.dtype(), transA, transB, m, n, k, 1, address(ea), lda, strideA,
                address(eb), ldb, strideB, 0, address(out), n, (long) m * n, batches);
        return out;
    }

    private static int[] withMatrix(int[] batch, int[] shape) {
        int[] s = Arrays.copyOf(batch, batch.length + 2);
        s[batch.length] = shape[shape.length - 2];
        s[batch.length + 1] = shape[shape.length - 1];
        return s;
    }

    // ---- reductions and softmax over an axis ------------------------------------------------------------

    @Override public Tensor sum(Tensor a, int axis, boolean keepDim) {
        int ax = Shape.axis(axis, a.rank());
        AxisLayout l = AxisLayout.of(a.shape(), ax);
        Tensor out = empty(a.dtype(), ShapeRules.reducedShape(a.shape(), ax, keepDim));
        kernels.sum(a.dtype(), l.outer(), l.length(), l.inner(), address(a), address(out));
        return out;
    }

    @Override public Tensor max(Tensor a, int axis) {
        int ax = Shape.axis(axis, a.rank());
        AxisLayout l = AxisLayout.of(a.shape(), ax);
        Tensor out = empty(a.dtype(), ShapeRules.reducedShape(a.shape(), ax, true));
        kernels.max(a.dtype(), l.outer(), l.length(), l.inner(), address(a), address(out));
        return out;
    }

    @Override public Tensor softmax(Tensor a, int axis) { return softmaxLike(a, axis, false); }

    @Override public Tensor logSoftmax(Tensor a, int axis) { return softmaxLike(a, axis, true); }

    private Tensor softmaxLike(Tensor a, int axis, boolean log) {
        AxisLayout l = AxisLayout.of(a.shape(), Shape.axis(axis, a.rank()));
        Tensor out = empty(a.dtype(), a.shape());
        kernels.softmax(a.dtype(), log, l.outer(), l.length(), l.inner(), address(a), address(out));
        return out;
    }

    @Override public Tensor softmaxGrad(Tensor y, Tensor g, int axis) { return softmaxGradLike(y, g, axis, false); }

    @Override public Tensor logSoftmaxGrad(Tensor y, Tensor g, int axis) { return softmaxGradLike(y, g, axis, true); }

    private Tensor softmaxGradLike(Tensor y, Tensor g, int axis, boolean log) {
        AxisLayout l = AxisLayout.of(y.shape(), Shape.axis(axis, y.rank()));
        Tensor out = empty(y.dtype(), y.shape());
        kernels.softmaxGrad(y.dtype(), log, l.outer(), l.length(), l.inner(), address(y), address(g), address(out));
        return out;
    }

    // ---- layout: permute, slice, concat -------------------------------------------------------------------

    @Override public Tensor permute(Tensor a, int[] perm) {
        int[] shape = a.shape(), outShape = ShapeRules.permutedShape(shape, perm), strides = Shape.strides(shape);
        int[] inStrides = new int[shape.length];
        for (int i = 0; i < perm.length; i++) inStrides[i] = strides[Shape.axis(perm[i], shape.length)];
        Tensor out = empty(a.dtype(), outShape);
        kernels.gather(a.dtype(), outShape, address(a), 0, inStrides, address(out));
        return out;
    }

    @Override public Tensor slice(Tensor a, int axis, int from, int to) {
        int[] shape = a.shape();
        axis = Shape.axis(axis, shape.length);
        int[] outShape = ShapeRules.slicedShape(shape, axis, from, to);
        int[] strides = Shape.strides(shape);
        Tensor out = empty(a.dtype(), outShape);
        kernels.gather(a.dtype(), outShape, address(a), (long) from * strides[axis], strides, address(out));
        return out;
    }

    @Override public Tensor unslice(Tensor g, int[] shape, int axis, int from) {
        axis = Shape.axis(axis, shape.length);
        Tensor out = zeros(g.dtype(), shape);
        int[] strides = Shape.strides(shape);
        kernels.scatter(g.dtype(), g.shape(), address(g), address(out), (long) from * strides[axis], strides);
        return out;
    }

    @Override public Tensor concat(List<Tensor> parts, int axis) {
        Tensor first = parts.getFirst();
        axis = Shape.axis(axis, first.rank());
        int[] outShape = ShapeRules.concatShape(parts, axis);
        Tensor out = empty(first.dtype(), outShape);
        int[] strides = Shape.strides(outShape);
        int at = 0;
        for (Tensor t : parts) {
            if (t.numel() > 0) kernels.scatter(t.dtype(), t.shape(), address(t), address(out), (long) at * strides[axis], strides);
            at += t.dim(axis);
        }
        return out;
    }

    // ---- fused: loss, LSTM, optimizer ----------------------------------------------------------------------

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] targets, Tensor classWeights, double labelSmoothing) {
        if (logits.rank() != 2) throw new IllegalArgumentException("cross-entropy expects logits [N, C], got rank " + logits.rank());
        int n = logits.dim(0), c = logits.dim(1);
        if (targets.length != n) throw new IllegalArgumentException("cross-entropy: " + n + " rows of logits but " + targets.length + " targets");
        if (labelSmoothing < 0 || labelSmoothing > 1) throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + labelSmoothing);
        for (int i = 0; i < n; i++)
            if (targets[i] < 0 || targets[i] >= c)
                throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is not a class index in [0, " + c + ")");
        if (classWeights != null && classWeights.numel() != c)
            throw new IllegalArgumentException("class weights have " + classWeights.numel() + " entries for " + c + " classes");
        // The CPU reference also refuses targets whose weights sum to zero; that needs the weights' values.
        if (classWeights != null) {
            double[] w = classWeights.toDoubleArray();
            double total = 0;
            for (int target : targets) total += w[target];
            if (!(total > 0)) throw new IllegalArgumentException("cross-entropy: the targets' class weights sum to " + total + "; nothing to average");
        }
        Tensor loss = empty(logits.dtype(), new int[0]), grad = empty(logits.dtype(), new int[]{n, c});
        DeviceInts t = ints(targets);
        kernels.softmaxCrossEntropy(logits.dtype(), n, c, address(logits), t.address(), addressOrNull(classWeights),
                labelSmoothing, address(loss), address(grad));
        t.free();
        return new Tensor[]{loss, grad};
    }

    /**
     * CELL: per step a cuBLAS GEMM {@code h W_hh^T} and the fused cell kernel (lstm.cu). PERSISTENT: all steps
     * of a layer and direction in one cooperative launch with W_hh in shared memory (lstm_persistent.cu) where
     * the geometry fits the device, else CELL for that pass (a one-time log line; the reason in
     * {@link PersistentLstm#lastFallback}). CUDNN: cuDNN's RNN ({@link CudnnLstm}).
     */
    @Override public LstmPass lstm(LstmConfig config, LstmAlgorithm algorithm, List<Tensor> weights, Tensor x, int[] lengths,
                                   Tensor h0, Tensor c0, List<Tensor> dropoutMasks, boolean training) {
        return switch (algorithm) {
            case CELL -> new CudaLstm(this, config, perStepLstm).run(weights, x, lengths, h0, c0, dropoutMasks, training);
            case PERSISTENT -> new CudaLstm(this, config, persistentLstm).run(weights, x, lengths, h0, c0, dropoutMasks, training);
            case CUDNN -> new CudnnLstm(this, cudnn(), config, tf32).run(weights, x, lengths, h0, c0, dropoutMasks, training);
        };
    }

    /** CELL and PERSISTENT always (PERSISTENT falls back per pass where it does not fit); CUDNN where cuDNN 9 opens. */
    @Override public Set<LstmAlgorithm> lstmAlgorithms() {
        Set<LstmAlgorithm> algorithms = EnumSet.of(LstmAlgorithm.CELL, LstmAlgorithm.PERSISTENT);
        if (cudnnAvailable()) algorithms.add(LstmAlgorithm.CUDNN);
        return algorithms;
    }

    @Override public void adamUpdate(AdamUpdate u, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        kernels.adam(param.dtype(), param.numel(), address(param), address(grad), address(expAvg), address(expAvgSq),
                addressOrNull(maxExpAvgSq), u.beta1(), u.beta2(), u.eps(), u.decay(), u.l2(), u.stepSize(), u.biasCorrection2Sqrt());
    }

    @Override public double squaredNorm(Tensor t) {
        long out = memory.alloc(8);
        try (Arena arena = Arena.ofConfined()) {
            kernels.sumSquares(t.dtype(), t.numel(), address(t), out);
            MemorySegment result = arena.allocate(ValueLayout.JAVA_DOUBLE);
            device.copyToHost(out, result, 8);
            return result.get(ValueLayout.JAVA_DOUBLE, 0);
        } finally {
            memory.free(out, 8);
        }
    }

    @Override public void scaleInPlace(Tensor t, double s) {
        // For F32 the CPU multiplies by (float) s; x * (double)(float) s rounded once to float is the same number.
        double scale = t.dtype() == DType.F32 ? (float) s : s;
        kernels.affine(t.dtype(), t.numel(), address(t), scale, 0, address(t));
    }
}
