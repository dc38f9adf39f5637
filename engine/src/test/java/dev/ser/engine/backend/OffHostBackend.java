package dev.ser.engine.backend;

import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Storage;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * A stand-in for a device, for tests: its tensors are not {@link HostStorage}, so any code on the
 * training path that reaches for host arrays ({@code tensor.host()}) instead of going through the
 * backend fails here, as it would with CUDA. Each operation unwraps its inputs (sharing memory, so
 * in-place updates land), runs the CPU backend, and wraps the results: values are the CPU's, bit for bit.
 */
final class OffHostBackend implements Backend {
    static final OffHostBackend INSTANCE = new OffHostBackend();
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** Memory "on the device": host arrays that only this backend unwraps. */
    record OffHostStorage(HostStorage inner) implements Storage {
        @Override public DType dtype() { return inner.dtype(); }

        @Override public int size() { return inner.size(); }

        @Override public Backend backend() { return INSTANCE; }
    }

    private OffHostBackend() {}

    private static Tensor in(Tensor t) {
        if (t == null) return null;
        if (!(t.storage() instanceof OffHostStorage s))
            throw new IllegalArgumentException("a " + t.backend().name() + " tensor was passed to the off-host backend");
        return new Tensor(s.inner(), t.shape());
    }

    private static List<Tensor> in(List<Tensor> ts) {
        if (ts == null) return null;
        List<Tensor> out = new ArrayList<>(ts.size());
        for (Tensor t : ts) out.add(in(t));
        return out;
    }

    private static Tensor out(Tensor host) { return host == null ? null : new Tensor(new OffHostStorage(host.host()), host.shape()); }

    @Override public String name() { return "off-host (test)"; }

    @Override public Tensor zeros(DType dtype, int[] shape) { return out(CPU.zeros(dtype, shape)); }

    @Override public Tensor to(Tensor t) {
        if (t.backend() == this) return t;
        return out(CPU.copy(CPU.to(t)));
    }

    @Override public Tensor toHost(Tensor t) { return CPU.copy(in(t)); }

    @Override public Tensor copy(Tensor a) { return out(CPU.copy(in(a))); }

    @Override public Tensor cast(Tensor a, DType dtype) { return out(CPU.cast(in(a), dtype)); }

    @Override public Tensor binary(BinaryOp op, Tensor a, Tensor b) { return out(CPU.binary(op, in(a), in(b))); }

    @Override public Tensor affine(Tensor a, double s, double t) { return out(CPU.affine(in(a), s, t)); }

    @Override public Tensor unary(UnaryOp op, Tensor x) { return out(CPU.unary(op, in(x))); }

    @Override public Tensor unaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor g) { return out(CPU.unaryGrad(op, in(x), in(y), in(g))); }

    @Override public Tensor reduceTo(Tensor g, int[] shape) { return out(CPU.reduceTo(in(g), shape)); }

    @Override public Tensor expand(Tensor a, int[] shape) { return out(CPU.expand(in(a), shape)); }

    @Override public Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) { return out(CPU.matmul(in(a), in(b), transA, transB)); }

    @Override public Tensor sum(Tensor a, int axis, boolean keepDim) { return out(CPU.sum(in(a), axis, keepDim)); }

    @Override public Tensor max(Tensor a, int axis) { return out(CPU.max(in(a), axis)); }

    @Override public Tensor softmax(Tensor a, int axis) { return out(CPU.softmax(in(a), axis)); }

    @Override public Tensor logSoftmax(Tensor a, int axis) { return out(CPU.logSoftmax(in(a), axis)); }

    @Override public Tensor softmaxGrad(Tensor y, Tensor g, int axis) { return out(CPU.softmaxGrad(in(y), in(g), axis)); }

    @Override public Tensor logSoftmaxGrad(Tensor y, Tensor g, int axis) { return out(CPU.logSoftmaxGrad(in(y), in(g), axis)); }

    @Override public Tensor permute(Tensor a, int[] perm) { return out(CPU.permute(in(a), perm)); }

    @Override public Tensor slice(Tensor a, int axis, int from, int to) { return out(CPU.slice(in(a), axis, from, to)); }

    @Override public Tensor unslice(Tensor g, int[] shape, int axis, int from) { return out(CPU.unslice(in(g), shape, axis, from)); }

    @Override public Tensor concat(List<Tensor> parts, int axis) { return out(CPU.concat(in(parts), axis)); }

    @Override public Tensor[] softmaxCrossEntropy(Tensor logits, int[] targets, Tensor classWeights, double labelSmoothing) {
        Tensor[] r = CPU.softmaxCrossEntropy(in(logits), targets, in(classWeights), labelSmoothing);
        return new Tensor[]{out(r[0]), out(r[1])};
    }

    @Override public LstmPass lstm(LstmConfig config, LstmAlgorithm algorithm, List<Tensor> weights, Tensor x, int[] lengths,
                                   Tensor h0, Tensor c0, List<Tensor> dropoutMasks, boolean training) {
        LstmPass p = CPU.lstm(config, algorithm, in(weights), in(x), lengths, in(h0), in(c0), in(dropoutMasks), training);
        LstmPass.Backward backward = p.backward() == null ? null
                : (dy, dhN, dcN, dx, dh0, dc0, grads) -> p.backward().run(in(dy), in(dhN), in(dcN), in(dx), in(dh0), in(dc0), in(grads));
        return new LstmPass(out(p.y()), out(p.hN()), out(p.cN()), backward);
    }

    @Override public void adamUpdate(AdamUpdate u, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq) {
        CPU.adamUpdate(u, in(param), in(grad), in(expAvg), in(expAvgSq), in(maxExpAvgSq));
    }

    @Override public double squaredNorm(Tensor t) { return CPU.squaredNorm(in(t)); }

    @Override public void scaleInPlace(Tensor t, double s) { CPU.scaleInPlace(in(t), s); }
}
