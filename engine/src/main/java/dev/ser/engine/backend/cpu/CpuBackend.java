package dev.ser.engine.backend.cpu;

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

import java.util.Arrays;
import java.util.List;

/**
 * The CPU backend. Generic kernels read and write through {@link HostStorage#get}/{@link HostStorage#set}
 * (clear, and fast enough for the small tensors around the model); the hot paths (matmul via
 * {@link Gemm}, the fused LSTM, the fused loss, the optimizer) work on the raw arrays.
 */
public final class CpuBackend implements Backend {
    public static final CpuBackend INSTANCE = new CpuBackend();

    private CpuBackend() {}

    @Override public String name() { return "cpu"; }

    @Override public Tensor zeros(DType dtype, int[] shape) { return Tensor.zeros(dtype, shape); }

    @Override public Tensor to(Tensor t) { return t.backend() == this ? t : t.backend().toHost(t); }

    @Override public Tensor toHost(Tensor t) { return t; }

    @Override public Tensor copy(Tensor a) {
        HostStorage h = a.host();
        return h.f != null ? Tensor.of(h.f.clone(), a.shape()) : Tensor.of(h.d.clone(), a.shape());
    }

    @Override public Tensor cast(Tensor a, DType dtype) {
        if (a.dtype() == dtype) return copy(a);
        return dtype == DType.F64 ? Tensor.of(a.toDoubleArray(), a.shape()) : Tensor.of(a.toFloatArray(), a.shape());
    }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) {
        ShapeRules.sameDType(a, b);
        int[] shape = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.zeros(a.dtype(), shape);
        HostStorage x = a.host(), y = b.host(), o = out.host();
        int n = out.numel();
        if (Arrays.equals(a.shape(), b.shape())) {
            if (o.f != null) binaryF32(op, x.f, y.f, o.f, n);
            else binaryF64(op, x.d, y.d, o.d, n);
            return out;
        }
        int[] sa = Shape.broadcastStrides(a.shape(), shape), sb = Shape.broadcastStrides(b.shape(), shape);
        int[] idx = new int[shape.length];
        int ia = 0, ib = 0;
        for (int i = 0; i < n; i++) {
            o.set(i, apply(op, x.get(ia), y.get(ib)));
            // odometer increment of the multi-index, keeping the two source offsets in step
            for (int ax = shape.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                ia += sa[ax];
                ib += sb[ax];
                if (idx[ax] < shape[ax]) break;
                ia -= sa[ax] * shape[ax];
                ib -= sb[ax] * shape[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    private static double apply(BinaryOp op, double u, double v) {
        return switch (op) {
            case ADD -> u + v;
            case SUB -> u - v;
            case MUL -> u * v;
            case DIV -> u / v;
        };
    }

    private static void binaryF32(BinaryOp op, float[] x, float[] y, float[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; }
        }
    }

    private static void binaryF64(BinaryOp op, double[] x, double[] y, double[] o, int n) {
        switch (op) {
            case ADD -> { for (int i = 0; i < n; i++) o[i] = x[i] + y[i]; }
            case SUB -> { for (int i = 0; i < n; i++) o[i] = x[i] - y[i]; }
            case MUL -> { for (int i = 0; i < n; i++) o[i] = x[i] * y[i]; }
            case DIV -> { for (int i = 0; i < n; i++) o[i] = x[i] / y[i]; }
        }
    }

    @Override public Tensor affine(Tensor a, double s, double t) {
        Tensor out = Tensor.zeros(a.dtype(), a.shape());
        HostStorage x = a.host(), o = out.host();
        if (o.f != null) for (int i = 0; i < o.f.length; i++) o.f[i] = (float) (x.f[i] * s + t);
        else for (int i = 0; i < o.d.length; i++) o.d[i] = x.d[i] * s + t;
        return out;
    }

    @Override public Tensor unary(UnaryOp op, Tensor a) {
        Tensor out = Tensor.zeros(a.dtype(), a.shape());
        HostStorage x = a.host(), o = out.host();
        for (int i = 0; i < out.numel(); i++) {
            double v = x.get(i);
            o.set(i, switch (op) {
                case EXP -> Math.exp(v);
                case LOG -> Math.log(v);
                case TANH -> Math.tanh(v);
                case SIGMOID -> sigmoid(v);
                case RELU -> v > 0 ? v : 0;
                case SQRT -> Math.sqrt(v);
            });
        }
        return out;
    }

    /** Never computes exp of a large positive number, so it cannot overflow to NaN. */
    public static double sigmoid(double v) {
        if (v >= 0) return 1 / (1 + Math.exp(-v));
        double e = Math.exp(v);
        return e / (1 + e);
    }

    @Override public Tensor unaryGrad(UnaryOp op, Tensor xT, Tensor yT, Tensor gT) {
        Tensor out = Tensor.zeros(gT.dtype(), gT.shape());
        HostStorage x = xT.host(), y = yT.host(), g = gT.host(), o = out.host();
        for (int i = 0; i < out.numel(); i++) {
            double gi = g.get(i);
            o.set(i, switch (op) {
                case EXP -> gi * y.get(i);
                case LOG -> gi / x.get(i);
                case TANH -> gi * (1 - y.get(i) * y.get(i));
                case SIGMOID -> gi * y.get(i) * (1 - y.get(i));
                case RELU -> x.get(i) > 0 ? gi : 0;
                case SQRT -> gi * 0.5 / y.get(i);
            });
        }
        return out;
    }

    @Override public Tensor reduceTo(Tensor g, int[] shape) {
        if (Arrays.equals(g.shape(), shape)) return g;
        int[] gs = g.shape();
        Tensor out = Tensor.zeros(g.dtype(), shape);
        HostStorage src = g.host(), dst = out.host();
        int[] st = Shape.broadcastStrides(shape, gs);
        int[] idx = new int[gs.length];
        int io = 0;
        for (int i = 0; i < g.numel(); i++) {
            dst.set(io, dst.get(io) + src.get(i));
            for (int ax = gs.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                io += st[ax];
                if (idx[ax] < gs[ax]) break;
                io -= st[ax] * gs[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    @Override public Tensor expand(Tensor a, int[] shape) {
        if (Arrays.equals(a.shape(), shape)) return a;
        Tensor zero = Tensor.zeros(a.dtype(), shape);
        return binary(BinaryOp.ADD, zero, a);
    }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        ShapeRules.MatMul mm = ShapeRules.MatMul.of(a, b, transA, transB);
        int[] as = a.shape(), bs = b.shape(), batch = mm.batch();
        int m = mm.m(), n = mm.n(), k = mm.k();
        Tensor out = Tensor.zeros(a.dtype(), mm.outShape());
        int batches = Shape.numel(batch);
        int[] sa = Shape.broadcastStrides(mm.batchA(), batch), sb = Shape.broadcastStrides(mm.batchB(), batch);
        int lda = as[as.length - 1], ldb = bs[bs.length - 1];
        int aMat = as[as.length - 2] * lda, bMat = bs[bs.length - 2] * ldb;
        HostStorage x = a.host(), y = b.host(), o = out.host();
        int[] idx = new int[batch.length];
        for (int bi = 0; bi < batches; bi++) {
            int offA = 0, offB = 0;
            for (int ax = 0; ax < batch.length; ax++) {
                offA += idx[ax] * sa[ax];
                offB += idx[ax] * sb[ax];
            }
            offA *= aMat;
            offB *= bMat;
            int offC = bi * m * n;
            if (o.f != null) Gemm.sgemm(transA, transB, m, n, k, 1f, x.f, offA, lda, y.f, offB, ldb, 0f, o.f, offC, n);
            else Gemm.dgemm(transA, transB, m, n, k, 1, x.d, offA, lda, y.d, offB, ldb, 0, o.d, offC, n);
            for (int ax = batch.length - 1; ax >= 0; ax--) {
                if (++idx[ax] < batch[ax]) break;
                idx[ax] = 0;
            }
        }
        return out;
    }

    /** One lane = the elements along the axis for one position of all the other axes. */
    private interface Lane {
        void run(int lane, int base, int stride, int length);
    }

    /** Calls {@code body} for every lane along {@code axis}: lane index, first element, stride, length. */
    private static void lanes(int[] shape, int axis, Lane body) {
        AxisLayout l = AxisLayout.of(shape, axis);
        for (int p = 0; p < l.outer(); p++)
            for (int q = 0; q < l.inner(); q++) body.run(p * l.inner() + q, p * l.length() * l.inner() + q, l.inner(), l.length());
    }

    @Override public Tensor sum(Tensor a, int axis, boolean keepDim) {
        int ax = Shape.axis(axis, a.rank());
        Tensor out = Tensor.zeros(a.dtype(), ShapeRules.reducedShape(a.shape(), ax, keepDim));
        HostStorage x = a.host(), o = out.host();
        lanes(a.shape(), ax, (lane, base, st, n) -> {
            double s = 0;
            for (int i = 0; i < n; i++) s += x.get(base + i * st);
            o.set(lane, s);
        });
        return out;
    }

    @Override public Tensor max(Tensor a, int axis) {
        int ax = Shape.axis(axis, a.rank());
        Tensor out = Tensor.zeros(a.dtype(), ShapeRules.reducedShape(a.shape(), ax, true));
        HostStorage x = a.host(), o = out.host();
        lanes(a.shape(), ax, (lane, base, st, n) -> {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) m = Math.max(m, x.get(base + i * st));
            o.set(lane, m);
        });
        return out;
    }

    @Override public Tensor softmax(Tensor a, int axis) { return softmaxLike(a, axis, false); }

    @Override public Tensor logSoftmax(Tensor a, int axis) { return softmaxLike(a, axis, true); }

    /** Subtracts the lane maximum before exp, so no logit can overflow. */
    private static Tensor softmaxLike(Tensor a, int axis, boolean log) {
        Tensor out = Tensor.zeros(a.dtype(), a.shape());
        HostStorage x = a.host(), o = out.host();
        lanes(a.shape(), Shape.axis(axis, a.rank()), (lane, base, st, n) -> {
            double m = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < n; i++) m = Math.max(m, x.get(base + i * st));
            double s = 0;
            for (int i = 0; i < n; i++) s += Math.exp(x.get(base + i * st) - m);
            double logS = Math.log(s);
            for (int i = 0; i < n; i++) {
                double z = x.get(base + i * st) - m;
                o.set(base + i * st, log ? z - logS : Math.exp(z) / s);
            }
        });
        return out;
    }

    @Override public Tensor softmaxGrad(Tensor yT, Tensor gT, int axis) {
        Tensor out = Tensor.zeros(yT.dtype(), yT.shape());
        HostStorage y = yT.host(), g = gT.host(), o = out.host();
        lanes(yT.shape(), Shape.axis(axis, yT.rank()), (lane, base, st, n) -> {
            double dot = 0;
            for (int i = 0; i < n; i++) dot += g.get(base + i * st) * y.get(base + i * st);
            for (int i = 0; i < n; i++) {
                int j = base + i * st;
                o.set(j, y.get(j) * (g.get(j) - dot));
            }
        });
        return out;
    }

    @Override public Tensor logSoftmaxGrad(Tensor yT, Tensor gT, int axis) {
        Tensor out = Tensor.zeros(yT.dtype(), yT.shape());
        HostStorage y = yT.host(), g = gT.host(), o = out.host();
        lanes(yT.shape(), Shape.axis(axis, yT.rank()), (lane, base, st, n) -> {
            double sum = 0;
            for (int i = 0; i < n; i++) sum += g.get(base + i * st);
            for (int i = 0; i < n; i++) {
                int j = base + i * st;
                o.set(j, g.get(j) - Math.exp(y.get(j)) * sum);
            }
        });
        return out;
    }

    @Override public Tensor permute(Tensor a, int[] perm) {
        int[] shape = a.shape();
        int[] outShape = ShapeRules.permutedShape(shape, perm);
        int[] inStrides = Shape.strides(shape);
        int[] srcStride = new int[shape.length];
        for (int i = 0; i < perm.length; i++) srcStride[i] = inStrides[Shape.axis(perm[i], shape.length)];
        Tensor out = Tensor.zeros(a.dtype(), outShape);
        HostStorage x = a.host(), o = out.host();
        int[] idx = new int[shape.length];
        int src = 0;
        for (int i = 0; i < out.numel(); i++) {
            o.set(i, x.get(src));
            for (int ax = outShape.length - 1; ax >= 0; ax--) {
                idx[ax]++;
                src += srcStride[ax];
                if (idx[ax] < outShape[ax]) break;
                src -= srcStride[ax] * outShape[ax];
                idx[ax] = 0;
            }
        }
        return out;
    }

    @Override public Tensor slice(Tensor a, int axis, int from, int to) {
        int[] shape = a.shape();
        axis = Shape.axis(axis, shape.length);
        int[] outShape = ShapeRules.slicedShape(shape, axis, from, to);
        AxisLayout l = AxisLayout.of(shape, axis);
        Tensor out = Tensor.zeros(a.dtype(), outShape);
        int chunk = (to - from) * l.inner();
        for (int p = 0; p < l.outer(); p++)
            copyRange(a, (p * l.length() + from) * l.inner(), out, p * chunk, chunk);
        return out;
    }

    @Override public Tensor unslice(Tensor g, int[] shape, int axis, int from) {
        axis = Shape.axis(axis, shape.length);
        AxisLayout l = AxisLayout.of(shape, axis);
        Tensor out = Tensor.zeros(g.dtype(), shape);
        int chunk = g.dim(axis) * l.inner();
        for (int p = 0; p < l.outer(); p++)
            copyRange(g, p * chunk, out, (p * l.length() + from) * l.inner(), chunk);
        return out;
    }

    @Override public Tensor concat(List<Tensor> parts, int axis) {
        Tensor first = parts.getFirst();
        axis = Shape.axis(axis, first.rank());
        int[] outShape = ShapeRules.concatShape(parts, axis);
        Tensor out = Tensor.zeros(first.dtype(), outShape);
        AxisLayout l = AxisLayout.of(outShape, axis);
        int at = 0;
        for (Tensor t : parts) {
            int chunk = t.dim(axis) * l.inner();
            for (int p = 0; p < l.outer(); p++) copyRange(t, p * chunk, out, (p * l.length() + at) * l.inner(), chunk);
            at += t.dim(axis);
        }
        return out;
    }

    private static void copyRange(Tensor src, int srcPos, Tensor dst, int dstPos, int n) {
        HostStorage s = src.host(), d = dst.host();
        if (s.f != null) System.arraycopy(s.f, srcPos, d.f, dstPos, n);
        else System.arraycopy(s.d, srcPos, d.d, dstPos, n);
    }

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] targets, Tensor classWeights, double labelSmoothing) {
        return CrossEntropyCpu.forwardBackward(logits, targets, classWeights, labelSmoothing);
    }
    // ---- fused layers and in-place updates -------------------------------------------------------

    @Override public LstmPass lstm(LstmConfig config, LstmAlgorithm algorithm, List<Tensor> weights, Tensor x, int[] lengths,
                                   Tensor h0, Tensor c0, List<Tensor> dropoutMasks, boolean training) {
        if (algorithm != LstmAlgorithm.CELL)
            throw new IllegalArgumentException("the CPU backend runs the LSTM with its fused cell (CELL); " + algorithm
                    + " needs the CUDA backend (--device cuda)");
        return LstmCpu.run(config, weights, x, lengths, h0, c0, dropoutMasks, training);
    }

    @Override public void adamUpdate(AdamUpdate u, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        HostStorage p = param.host(), g = grad.host(), m = expAvg.host(), v = expAvgSq.host();
        HostStorage vmax = maxExpAvgSq == null ? null : maxExpAvgSq.host();
        if (p.d != null) AdamCpu.updateF64(u, p.d, g.d, m.d, v.d, vmax == null ? null : vmax.d);
        else AdamCpu.updateF32(u, p.f, g.f, m.f, v.f, vmax == null ? null : vmax.f);
    }

    @Override public double squaredNorm(Tensor t) {
        HostStorage h = t.host();
        double s = 0;
        if (h.d != null) for (double x : h.d) s += x * x;
        else for (float x : h.f) s += (double) x * x;
        return s;
    }

    @Override public void scaleInPlace(Tensor t, double scale) {
        HostStorage h = t.host();
        if (h.d != null) for (int i = 0; i < h.d.length; i++) h.d[i] *= scale;
        else {
            float s = (float) scale;
            for (int i = 0; i < h.f.length; i++) h.f[i] *= s;
        }
    }
}
