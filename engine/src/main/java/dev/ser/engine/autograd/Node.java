package dev.ser.engine.autograd;

import dev.ser.engine.tensor.Tensor;

/**
 * One recorded op: its inputs, and how to turn the gradient of its output into gradients of its inputs.
 * The backward closure holds whatever the forward saved (activations, masks); {@link #release()} drops
 * it after a backward pass so that memory is freed and a second pass fails loudly instead of silently
 * using stale state.
 */
public final class Node {
    /** d(loss)/d(output) -> d(loss)/d(input_i) for each input (null where an input needs none). */
    @FunctionalInterface
    public interface Backward {
        Tensor[] apply(Tensor gradOutput);
    }

    private final String op;
    private final Tensor[] inputs;
    private Backward backward;

    public Node(String op, Tensor[] inputs, Backward backward) {
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    public String op() { return op; }

    public Tensor[] inputs() { return inputs; }

    Tensor[] apply(Tensor gradOutput) {
        if (backward == null)
            throw new IllegalStateException("backward through '" + op + "' a second time: the graph was freed by the first"
                    + " backward(). Run the forward again, or pass retainGraph=true to the first backward.");
        return backward.apply(gradOutput);
    }

    void release() { backward = null; }
}
