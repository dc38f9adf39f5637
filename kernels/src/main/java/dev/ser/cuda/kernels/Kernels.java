package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Device;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.DType;

/**
 * Every kernel of src/main/cuda as a typed Java call: what the CUDA backend uses. Each method picks the
 * kernel for the dtype ({@code _f32}/{@code _f64}) and the launch geometry, and launches on the device's
 * stream (asynchronous on a GPU; call {@link Device#synchronize} or copy to the host to wait).
 *
 * <p>Conventions: addresses are device pointers ({@code long}, 0 = null where a parameter is optional);
 * sizes, offsets and strides are in elements; int32 buffers (targets, lengths) are named {@code ...I32};
 * double buffers of statistics {@code ...F64}. Each family's CPU reference and test are named in its
 * .cu file and in kernels/README.md.
 */
public final class Kernels {
    private final ElementwiseKernels elementwise;
    private final ReductionKernels reductions;
    private final SoftmaxKernels softmax;
    private final LstmKernels lstm;
    private final AdamKernel adam;
    private final NormalizationKernels normalization;

    public Kernels(Device device) {
        Launch launch = new Launch(device);
        elementwise = new ElementwiseKernels(launch);
        reductions = new ReductionKernels(launch);
        softmax = new SoftmaxKernels(launch);
        lstm = new LstmKernels(launch);
        adam = new AdamKernel(launch);
        normalization = new NormalizationKernels(launch);
    }

    // ---- elementwise.cu (CpuBackend: copy, cast, affine, unary, unaryGrad, binary, expand, permute, slice, ...) ----

    public void fill(DType p, long n, double value, long out) { elementwise.fill(p, n, value, out); }

    public void cast(DType from, DType to, long n, long in, long out) { elementwise.cast(from, to, n, in, out); }

    /** out = x * scale + shift in double, rounded once; out may equal x. */
    public void affine(DType p, long n, long x, double scale, double shift, long out) {
        elementwise.affine(p, n, x, scale, shift, out);
    }

    /** dst += src. */
    public void accumulate(DType p, long n, long src, long dst) { elementwise.accumulate(p, n, src, dst); }

    public void unary(DType p, Backend.UnaryOp op, long n, long x, long out) { elementwise.unary(p, op, n, x, out); }

    /** g * f'(x) as CpuBackend.unaryGrad: EXP, TANH, SIGMOID, SQRT read y; LOG, RELU read x (the other may be 0). */
    public void unaryGrad(DType p, Backend.UnaryOp op, long n, long x, long y, long g, long out) {
        elementwise.unaryGrad(p, op, n, x, y, g, out);
    }

    /** out (contiguous) = a op b with broadcasting: a and b read through their strides (0 = broadcast); rank <= 8. */
    public void binary(DType p, Backend.BinaryOp op, int[] outShape, long a, int[] aStrides, long b, int[] bStrides, long out) {
        elementwise.binary(p, op, outShape, a, aStrides, b, bStrides, out);
    }

    /** out[i] = in[inOffset + sum_k idx_k * inStrides_k], out contiguous: expand, permute, slice. */
    public void gather(DType p, int[] outShape, long in, long inOffset, int[] inStrides, long out) {
        elementwise.gather(p, outShape, in, inOffset, inStrides, out);
    }

    /** out[outOffset + sum_k idx_k * outStrides_k] = in[i], in contiguous: unslice, concat. */
    public void scatter(DType p, int[] shape, long in, long out, long outOffset, int[] outStrides) {
        elementwise.scatter(p, shape, in, out, outOffset, outStrides);
    }

    // ---- reduce.cu (CpuBackend.sum, max; gradient clipping) ----

    /** out[outer, inner] = sum over the middle axis of in [outer, n, inner]; deterministic. */
    public void sum(DType p, int outer, int n, int inner, long in, long out) { reductions.sum(p, outer, n, inner, in, out); }

    /** out[outer, inner] = max over the middle axis (Java's Math.max: NaN propagates). */
    public void max(DType p, int outer, int n, int inner, long in, long out) { reductions.max(p, outer, n, inner, in, out); }

    /** One double at outF64: sum of x_i^2 over n elements, deterministic. */
    public void sumSquares(DType p, long n, long x, long outF64) { reductions.sumSquares(p, n, x, outF64); }

    // ---- softmax.cu, cross_entropy.cu (CpuBackend.softmax, logSoftmax, their grads; CrossEntropyCpu) ----

    public void softmax(DType p, boolean log, int outer, int n, int inner, long x, long y) {
        softmax.softmax(p, log, outer, n, inner, x, y);
    }

    public void softmaxGrad(DType p, boolean log, int outer, int n, int inner, long y, long g, long out) {
        softmax.softmaxGrad(p, log, outer, n, inner, y, g, out);
    }

    /** Loss (one element of p) and grad [n, c]; weights 0 for none; targets must be valid (checked by the caller). */
    public void softmaxCrossEntropy(DType p, int n, int c, long logits, long targetsI32, long weights, double smoothing,
                                    long loss, long grad) {
        softmax.softmaxCrossEntropy(p, n, c, logits, targetsI32, weights, smoothing, loss, grad);
    }

    // ---- lstm.cu (LstmDirectionF32/F64 with LstmCellF32/F64) ----

    public void lstmBiasInit(DType p, int rows, int gates4, long bIh, long bHh, long gates) {
        lstm.biasInit(p, rows, gates4, bIh, bHh, gates);
    }

    public void lstmCellForward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long h,
                                long c, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        lstm.cellForward(p, batch, steps, hidden, t, lengthsI32, gates, h, c, y, yCol, ldy, hPrev, cPrev, tanhC);
    }

    public void lstmCellBackward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long cPrev,
                                 long tanhC, long dh, long dc, long dy, int yCol, int ldy) {
        lstm.cellBackward(p, batch, steps, hidden, t, lengthsI32, gates, cPrev, tanhC, dh, dc, dy, yCol, ldy);
    }

    public void lstmCopyActiveRows(DType p, int batch, int hidden, int t, long lengthsI32, long src, long dst) {
        lstm.copyActiveRows(p, batch, hidden, t, lengthsI32, src, dst);
    }

    // ---- lstm_persistent.cu (the same step loops, all T steps in one cooperative launch) ----

    /** The forward kernel's base name (+ _f32/_f64), for occupancy queries ({@link Device#maxCooperativeBlocks}). */
    public static final String LSTM_PERSISTENT_FORWARD = "lstm_persistent_forward";
    public static final String LSTM_PERSISTENT_BACKWARD = "lstm_persistent_backward";
    /** SER_PERSIST_ITEMS in lstm_persistent.cu: (b, u) items one thread may own. */
    public static final int LSTM_PERSISTENT_ITEMS_PER_THREAD = 4;
    /** SER_PERSIST_THREADS in lstm_persistent.cu: the kernels' __launch_bounds__. */
    public static final int LSTM_PERSISTENT_MAX_THREADS = 512;

    /** The kernel for a dtype: {@code base + "_f32"} or {@code "_f64"}. */
    public static String kernelName(String base, DType p) { return Launch.name(base, p); }

    /**
     * All steps of one direction's forward: {@code blocks} blocks of {@code threads} threads, each owning
     * {@code units} hidden units, h_{t-1} staged {@code chunk} batch rows at a time in {@code sharedBytes}
     * of dynamic shared memory. h, c [B, H]: initial state in, final state out; hx [2, B, H] scratch. The
     * rest as {@link #lstmCellForward} (hPrev, cPrev, tanhC all 0 for inference).
     */
    public void lstmPersistentForward(DType p, int blocks, int threads, int sharedBytes, int batch, int steps, int hidden,
                                      boolean reverse, int units, int chunk, long lengthsI32, long gates, long wHh, long h,
                                      long c, long hx, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        lstm.persistentForward(p, blocks, threads, sharedBytes, batch, steps, hidden, reverse, units, chunk, lengthsI32,
                gates, wHh, h, c, hx, y, yCol, ldy, hPrev, cPrev, tanhC);
    }

    /**
     * All steps of one direction's backward, in the forward's order reversed: gates (saved activations)
     * become dL/da; dh, dc [B, H]: dL/dh_n, dL/dc_n in, dL/dh_0, dL/dc_0 out. Geometry as the forward's,
     * with da_t staged instead of h_{t-1}.
     */
    public void lstmPersistentBackward(DType p, int blocks, int threads, int sharedBytes, int batch, int steps, int hidden,
                                       boolean reverse, int units, int chunk, long lengthsI32, long gates, long cPrev,
                                       long tanhC, long wHh, long dh, long dc, long dy, int yCol, int ldy) {
        lstm.persistentBackward(p, blocks, threads, sharedBytes, batch, steps, hidden, reverse, units, chunk, lengthsI32,
                gates, cPrev, tanhC, wHh, dh, dc, dy, yCol, ldy);
    }

    // ---- adam.cu (backend/cpu/AdamCpu.updateF32 / updateF64) ----

    public void adam(DType p, long n, long param, long grad, long expAvg, long expAvgSq, long maxExpAvgSq, double beta1,
                     double beta2, double eps, double decay, double l2, double stepSize, double bc2Sqrt) {
        adam.update(p, n, param, grad, expAvg, expAvgSq, maxExpAvgSq, beta1, beta2, eps, decay, l2, stepSize, bc2Sqrt);
    }

    // ---- normalization.cu (audio's Normalization: meanAndVariance, apply, perUtterance) ----

    /** Normalization.meanAndVariance for every row of x [B, T, F]: double [B, F] each. */
    public void normalizationMeanAndVariance(DType p, int batch, int frames, int width, long x, long lengthsI32,
                                             long meanF64, long varF64) {
        normalization.moments(p, batch, frames, width, x, lengthsI32, meanF64, varF64);
    }

    /** Normalization.apply: statistics double [B, F] (perRowStatistics) or double [F] (dataset, FeatureStats). */
    public void normalizationApply(DType p, int batch, int frames, int width, long x, long lengthsI32, long meanF64,
                                   long varF64, boolean perRowStatistics, double epsilon, long out) {
        normalization.apply(p, batch, frames, width, x, lengthsI32, meanF64, varF64, perRowStatistics, epsilon, out);
    }

    /** Normalization.perUtterance (CMVN) for every row. */
    public void normalizationPerUtterance(DType p, int batch, int frames, int width, long x, long lengthsI32,
                                          double epsilon, long out) {
        normalization.perUtterance(p, batch, frames, width, x, lengthsI32, epsilon, out);
    }
}
