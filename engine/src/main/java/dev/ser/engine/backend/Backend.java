package dev.ser.engine.backend;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.List;

/**
 * The kernels a device provides. Ops (dev.ser.engine.ops) build the autograd graph and call these; model
 * code never sees a backend, so it does not change between the CPU and CUDA.
 *
 * <p>Every method returns a new tensor without gradient tracking and leaves its inputs unchanged.
 */
public interface Backend {
    String name();

    // ---- memory: where tensors live ------------------------------------------------------------

    /** A tensor of zeros on this backend. */
    Tensor zeros(DType dtype, int[] shape);

    /**
     * {@code t} on this backend: {@code t} itself when it is already here, else a copy (outside the graph).
     * The CPU backend's {@code to} downloads from a device.
     */
    Tensor to(Tensor t);

    /** A host (CPU backend) tensor with the values of {@code t}, which lives on this backend. */
    Tensor toHost(Tensor t);

    enum BinaryOp { ADD, SUB, MUL, DIV }

    enum UnaryOp { EXP, LOG, TANH, SIGMOID, RELU, SQRT }

    Tensor copy(Tensor a);

    Tensor cast(Tensor a, DType dtype);

    /** Elementwise with NumPy broadcasting. */
    Tensor binary(BinaryOp op, Tensor a, Tensor b);

    /** a * s + t, elementwise. */
    Tensor affine(Tensor a, double s, double t);

    Tensor unary(UnaryOp op, Tensor x);

    /**
     * The gradient of a unary op: g * f'(x), where f'(x) is computed from x or from y = f(x),
     * whichever is cheaper and stable (tanh' = 1 - y^2, sigmoid' = y (1 - y)).
     */
    Tensor unaryGrad(UnaryOp op, Tensor x, Tensor y, Tensor g);

    /** Sums {@code g} over the axes along which a tensor of {@code shape} was broadcast to g's shape. */
    Tensor reduceTo(Tensor g, int[] shape);

    /** Repeats {@code a} along broadcast axes to {@code shape}. */
    Tensor expand(Tensor a, int[] shape);

    /** Batched matrix product over the last two axes; leading axes broadcast. */
    Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB);

    Tensor sum(Tensor a, int axis, boolean keepDim);

    /** Max over an axis (keepDim). */
    Tensor max(Tensor a, int axis);

    Tensor softmax(Tensor a, int axis);

    Tensor logSoftmax(Tensor a, int axis);

    /** Given y = softmax(x) and g = dL/dy: dL/dx = y * (g - sum(g * y)). */
    Tensor softmaxGrad(Tensor y, Tensor g, int axis);

    /** Given y = log_softmax(x) and g = dL/dy: dL/dx = g - softmax(x) * sum(g). */
    Tensor logSoftmaxGrad(Tensor y, Tensor g, int axis);

    Tensor permute(Tensor a, int[] perm);

    Tensor slice(Tensor a, int axis, int from, int to);

    /** The adjoint of slice: g placed at [from, from + g.dim(axis)) along axis of a zero tensor of {@code shape}. */
    Tensor unslice(Tensor g, int[] shape, int axis, int from);

    Tensor concat(List<Tensor> parts, int axis);

    /**
     * Fused softmax cross-entropy over logits [N, C] with PyTorch's mean reduction, optional class
     * weights [C] (null for none) and label smoothing. Returns {loss (scalar), dLoss/dLogits [N, C]}:
     * the gradient costs one more pass over data already in cache, so the forward computes it.
     */
    Tensor[] softmaxCrossEntropy(Tensor logits, int[] targets, Tensor classWeights, double labelSmoothing);

    // ---- fused layers ---------------------------------------------------------------------------

    /**
     * PyTorch's nn.LSTM (batch first) over x {@code [B, T, I]}: {@code weights} in PyTorch's flat-weights
     * order (see {@link LstmConfig}), lengths in 1..T (packed-sequence semantics), h0/c0
     * {@code [L*D, B, H]} or null, one dropout mask {@code [B, T, D*H]} per layer boundary (empty: none).
     * With {@code training} the pass keeps a workspace and returns its backward. An algorithm the backend
     * does not run ({@link #lstmAlgorithms}) is an IllegalArgumentException that says which it runs.
     */
    LstmPass lstm(LstmConfig config, LstmAlgorithm algorithm, List<Tensor> weights, Tensor x, int[] lengths, Tensor h0,
                  Tensor c0, List<Tensor> dropoutMasks, boolean training);

    /** The LSTM algorithms this backend runs (the CPU: CELL only). */
    default java.util.Set<LstmAlgorithm> lstmAlgorithms() { return java.util.Set.of(LstmAlgorithm.CELL); }

    // ---- in place: the optimizer's updates --------------------------------------------------------

    /** One Adam/AdamW step for one parameter, in place on param and its state (maxExpAvgSq null without amsgrad). */
    void adamUpdate(AdamUpdate update, Tensor param, Tensor grad, Tensor expAvg, Tensor expAvgSq, Tensor maxExpAvgSq);

    /** The sum of squares of all elements, accumulated in double (gradient clipping). */
    double squaredNorm(Tensor t);

    /** t *= s in place (s rounded to t's dtype first). */
    void scaleInPlace(Tensor t, double s);
}
