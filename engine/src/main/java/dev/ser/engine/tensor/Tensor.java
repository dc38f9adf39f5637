package dev.ser.engine.tensor;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.autograd.Node;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.ops.Arith;
import dev.ser.engine.ops.Activations;
import dev.ser.engine.ops.MatMul;
import dev.ser.engine.ops.Reduce;
import dev.ser.engine.ops.Reshape;
import dev.ser.engine.ops.Softmax;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * An n-dimensional array of F32 or F64 in row-major order, and a node of the autograd graph.
 *
 * <p>Elements live in a {@link Storage} of one backend; a tensor is always contiguous, and
 * {@link #reshape} returns a view that shares the storage. A tensor that {@link #requiresGrad()} and
 * was produced by an op carries the {@link Node} that knows how to push gradients to its inputs;
 * {@link #backward()} runs those nodes in reverse topological order (see {@link Autograd}).
 */
public final class Tensor {
    private final int[] shape;
    private Storage storage; // replaced only by moveTo, for a leaf (parameters moving to a device)
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private String name;

    public Tensor(Storage storage, int[] shape) {
        if (Shape.numel(shape) != storage.size())
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + Shape.numel(shape)
                    + " elements, the storage has " + storage.size());
        this.storage = storage;
        this.shape = shape.clone();
    }

    // ---- creation -------------------------------------------------------------------------

    /** Zeros on the host (the CPU backend). */
    public static Tensor zeros(DType dtype, int... shape) {
        return new Tensor(HostStorage.allocate(dtype, Shape.numel(shape)), shape);
    }

    /** Zeros on {@code backend}. */
    public static Tensor zeros(Backend backend, DType dtype, int... shape) { return backend.zeros(dtype, shape); }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        HostStorage h = t.host();
        if (h.f != null) Arrays.fill(h.f, (float) value);
        else Arrays.fill(h.d, value);
        return t;
    }

    public static Tensor ones(DType dtype, int... shape) { return full(dtype, 1, shape); }

    /** An F64 tensor over {@code data} (not copied). */
    public static Tensor of(double[] data, int... shape) { return new Tensor(HostStorage.wrap(data), shape); }

    /** An F32 tensor over {@code data} (not copied). */
    public static Tensor of(float[] data, int... shape) { return new Tensor(HostStorage.wrap(data), shape); }

    /** Values given as doubles, stored in {@code dtype}. */
    public static Tensor of(DType dtype, double[] data, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (data.length != t.numel())
            throw new IllegalArgumentException("shape " + Shape.str(shape) + " needs " + t.numel() + " values, got " + data.length);
        HostStorage h = t.host();
        if (h.d != null) System.arraycopy(data, 0, h.d, 0, data.length);
        else for (int i = 0; i < data.length; i++) h.f[i] = (float) data[i];
        return t;
    }

    public static Tensor scalar(DType dtype, double value) { return full(dtype, value); }

    /** Standard normal samples times {@code std}, from a seeded generator (reproducible). */
    public static Tensor randn(DType dtype, SplittableRandom rng, double std, int... shape) {
        Tensor t = zeros(dtype, shape);
        HostStorage h = t.host();
        for (int i = 0; i < t.numel(); i++) h.set(i, std * gaussian(rng));
        return t;
    }

    /** Uniform samples in [lo, hi). */
    public static Tensor uniform(DType dtype, SplittableRandom rng, double lo, double hi, int... shape) {
        Tensor t = zeros(dtype, shape);
        HostStorage h = t.host();
        for (int i = 0; i < t.numel(); i++) h.set(i, lo + (hi - lo) * rng.nextDouble());
        return t;
    }

    private static double gaussian(SplittableRandom rng) {
        // Box-Muller: SplittableRandom has no nextGaussian of its own in every JDK we target.
        double u1 = rng.nextDouble(), u2 = rng.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    // ---- properties -----------------------------------------------------------------------

    public int[] shape() { return shape.clone(); }

    public int dim(int axis) { return shape[Shape.axis(axis, shape.length)]; }

    public int rank() { return shape.length; }

    public int numel() { return storage.size(); }

    public DType dtype() { return storage.dtype(); }

    public Storage storage() { return storage; }

    public Backend backend() { return storage.backend(); }

    /** The host arrays; fails with a clear message for a tensor on another device. */
    public HostStorage host() {
        if (storage instanceof HostStorage h) return h;
        throw new IllegalStateException("this tensor lives on " + storage.backend().name() + "; copy it to the host first (toHost())");
    }

    public boolean isOnHost() { return storage instanceof HostStorage; }

    // ---- devices ---------------------------------------------------------------------------

    /**
     * This tensor on {@code backend}: itself when already there, else a copy outside the graph. Fails for
     * a tensor that requires grad, whose copy would silently lose its gradient: move parameters with
     * {@link #moveTo} (or Module.moveTo) before building the graph.
     */
    public Tensor to(Backend backend) {
        if (backend() == backend) return this;
        if (requiresGrad)
            throw new IllegalStateException("to(" + backend.name() + ") of a tensor that requires grad" + (name == null ? "" : " ('" + name + "')")
                    + " would copy it out of the graph; move parameters with moveTo()/Module.moveTo() before the forward");
        return backend.to(this);
    }

    /** The values on the host (this tensor itself when it lives there); waits for the device. */
    public Tensor toHost() { return isOnHost() ? this : backend().toHost(this); }

    /**
     * Moves a leaf's values to {@code backend} in place, keeping this object (so a module's fields and an
     * optimizer's parameter map stay valid), as PyTorch's {@code module.to(device)} does. Its gradient moves too.
     */
    public Tensor moveTo(Backend backend) {
        if (gradFn != null) throw new IllegalStateException("moveTo() is for leaves (parameters); this tensor is the result of " + gradFn.op());
        if (backend() == backend) return this;
        Tensor moved = backend.to(new Tensor(storage, shape));
        Tensor g = grad == null ? null : backend.to(grad);
        storage = moved.storage;
        grad = g;
        return this;
    }

    public double item() {
        if (numel() != 1) throw new IllegalStateException("item() needs a tensor of one element, this one has shape " + Shape.str(shape));
        return toHost().host().get(0);
    }

    public double get(int... index) {
        if (index.length != shape.length) throw new IllegalArgumentException("index " + Arrays.toString(index) + " for shape " + Shape.str(shape));
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            if (index[i] < 0 || index[i] >= shape[i])
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " out of bounds for shape " + Shape.str(shape));
            flat = flat * shape[i] + index[i];
        }
        return toHost().host().get(flat);
    }

    public double[] toDoubleArray() {
        HostStorage h = toHost().host();
        if (h.d != null) return h.d.clone();
        double[] out = new double[h.f.length];
        for (int i = 0; i < out.length; i++) out[i] = h.f[i];
        return out;
    }

    public float[] toFloatArray() {
        HostStorage h = toHost().host();
        if (h.f != null) return h.f.clone();
        float[] out = new float[h.d.length];
        for (int i = 0; i < out.length; i++) out[i] = (float) h.d[i];
        return out;
    }

    public String name() { return name; }

    public Tensor name(String name) {
        this.name = name;
        return this;
    }

    // ---- autograd -------------------------------------------------------------------------

    public boolean requiresGrad() { return requiresGrad; }

    /** Marks a leaf as a variable whose gradient {@link #backward()} accumulates into {@link #grad()}. */
    public Tensor requiresGrad(boolean value) {
        if (gradFn != null && !value)
            throw new IllegalStateException("requiresGrad(false) on the result of an op; use detach() for a copy outside the graph");
        this.requiresGrad = value;
        return this;
    }

    public Tensor grad() { return grad; }

    public void setGrad(Tensor g) {
        if (g != null && (!Arrays.equals(g.shape, shape) || g.dtype() != dtype()))
            throw new IllegalArgumentException("gradient of shape " + Shape.str(g.shape) + " " + g.dtype() + " for a tensor of shape "
                    + Shape.str(shape) + " " + dtype());
        this.grad = g;
    }

    public void zeroGrad() { this.grad = null; }

    public Node gradFn() { return gradFn; }

    /** Called by ops when they record themselves on the tape. */
    public void attach(Node node) {
        this.gradFn = node;
        this.requiresGrad = true;
    }

    public boolean isLeaf() { return gradFn == null; }

    /** Backward from a scalar: seeds d(this)/d(this) = 1. */
    public void backward() { Autograd.backward(this, null, false); }

    /** Backward from any tensor with an explicit seed gradient of the same shape. */
    public void backward(Tensor seed) { Autograd.backward(this, seed, false); }

    public void backward(Tensor seed, boolean retainGraph) { Autograd.backward(this, seed, retainGraph); }

    /** The same values outside the graph (shares storage). */
    public Tensor detach() { return new Tensor(storage, shape); }

    /** A deep copy outside the graph. */
    public Tensor copy() { return backend().copy(this); }

    /** Converts the element type; a differentiable op (gradients convert back). */
    public Tensor to(DType dtype) { return Arith.cast(this, dtype); }

    // ---- ops (each delegates to its op class; see dev.ser.engine.ops) -----------------------

    public Tensor add(Tensor o) { return Arith.add(this, o); }
    public Tensor sub(Tensor o) { return Arith.sub(this, o); }
    public Tensor mul(Tensor o) { return Arith.mul(this, o); }
    public Tensor div(Tensor o) { return Arith.div(this, o); }
    public Tensor neg() { return Arith.scale(this, -1); }
    public Tensor scale(double s) { return Arith.scale(this, s); }
    public Tensor addScalar(double s) { return Arith.addScalar(this, s); }
    public Tensor matmul(Tensor o) { return MatMul.matmul(this, o); }
    public Tensor sigmoid() { return Activations.sigmoid(this); }
    public Tensor tanh() { return Activations.tanh(this); }
    public Tensor relu() { return Activations.relu(this); }
    public Tensor exp() { return Activations.exp(this); }
    public Tensor log() { return Activations.log(this); }
    public Tensor sum() { return Reduce.sumAll(this); }
    public Tensor sum(int axis, boolean keepDim) { return Reduce.sum(this, axis, keepDim); }
    public Tensor mean() { return Reduce.meanAll(this); }
    public Tensor mean(int axis, boolean keepDim) { return Reduce.mean(this, axis, keepDim); }
    public Tensor softmax(int axis) { return Softmax.softmax(this, axis); }
    public Tensor logSoftmax(int axis) { return Softmax.logSoftmax(this, axis); }
    public Tensor reshape(int... newShape) { return Reshape.reshape(this, newShape); }
    public Tensor transpose(int a, int b) { return Reshape.transpose(this, a, b); }
    public Tensor permute(int... perm) { return Reshape.permute(this, perm); }
    public Tensor slice(int axis, int from, int to) { return Reshape.slice(this, axis, from, to); }

    @Override public String toString() {
        StringBuilder sb = new StringBuilder("Tensor(").append(dtype()).append(' ').append(Shape.str(shape));
        if (storage instanceof HostStorage h && numel() <= 16) {
            sb.append(' ').append('[');
            for (int i = 0; i < numel(); i++) sb.append(i == 0 ? "" : ", ").append(h.get(i));
            sb.append(']');
        }
        if (gradFn != null) sb.append(", grad_fn=").append(gradFn.op());
        else if (requiresGrad) sb.append(", requires_grad");
        return sb.append(')').toString();
    }
}
