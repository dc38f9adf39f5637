package dev.ser.engine.autograd;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The tape: ops {@link #record} a {@link Node} on their output; {@link #backward} walks the graph from
 * the output in reverse topological order, summing gradients where a tensor feeds several ops, and
 * accumulating into {@code grad} of the leaves that require it.
 */
public final class Autograd {
    private Autograd() {}

    /** True when an op on these inputs must record itself. */
    public static boolean needsGrad(Tensor... inputs) {
        if (!GradMode.enabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** Attaches a node to {@code output} when any input requires grad; returns {@code output}. */
    public static Tensor record(String op, Tensor output, Tensor[] inputs, Node.Backward backward) {
        if (needsGrad(inputs)) output.attach(new Node(op, inputs, backward));
        return output;
    }

    public static void backward(Tensor root, Tensor seed, boolean retainGraph) {
        if (!root.requiresGrad())
            throw new IllegalStateException("backward() on a tensor that does not require grad: no input of the computation"
                    + " had requiresGrad(true) (or it ran under GradMode.off())");
        if (seed == null) {
            if (root.numel() != 1)
                throw new IllegalStateException("backward() of a non-scalar tensor of shape " + Shape.str(root.shape())
                        + " needs a seed gradient of that shape: call backward(seed)");
            seed = Tensor.full(root.dtype(), 1, root.shape()).to(root.backend());
        } else if (!Arrays.equals(seed.shape(), root.shape()) || seed.dtype() != root.dtype()) {
            throw new IllegalArgumentException("seed gradient " + seed.dtype() + " " + Shape.str(seed.shape()) + " for a tensor "
                    + root.dtype() + " " + Shape.str(root.shape()));
        }
        List<Tensor> order = topologicalOrder(root);
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        grads.put(root, seed);
        try (GradMode ignored = GradMode.off()) {
            for (Tensor t : order) {
                Tensor g = grads.remove(t);
                if (g == null) continue; // no path from the root carried a gradient here
                Node node = t.gradFn();
                if (node == null) {
                    accumulateLeaf(t, g);
                    continue;
                }
                Tensor[] inputGrads = node.apply(g);
                Tensor[] inputs = node.inputs();
                for (int i = 0; i < inputs.length; i++) {
                    Tensor in = inputs[i];
                    if (in == null || !in.requiresGrad() || inputGrads[i] == null) continue;
                    Tensor gi = inputGrads[i];
                    if (!Arrays.equals(gi.shape(), in.shape()))
                        throw new IllegalStateException("internal: op '" + node.op() + "' produced a gradient of shape "
                                + Shape.str(gi.shape()) + " for an input of shape " + Shape.str(in.shape()));
                    Tensor prev = grads.get(in);
                    grads.put(in, prev == null ? gi : prev.backend().binary(Backend.BinaryOp.ADD, prev, gi));
                }
                if (!retainGraph) node.release();
            }
        }
    }

    private static void accumulateLeaf(Tensor leaf, Tensor g) {
        if (leaf.grad() == null) leaf.setGrad(g.backend().copy(g));
        else leaf.setGrad(g.backend().binary(Backend.BinaryOp.ADD, leaf.grad(), g));
    }

    /** Iterative DFS (a 300-step LSTM built from primitive ops is thousands of nodes deep). */
    private static List<Tensor> topologicalOrder(Tensor root) {
        List<Tensor> post = new ArrayList<>();
        Set<Tensor> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[]{root, 0});
        visited.add(root);
        while (!stack.isEmpty()) {
            Object[] frame = stack.peek();
            Tensor t = (Tensor) frame[0];
            int next = (Integer) frame[1];
            Tensor[] inputs = t.gradFn() == null ? new Tensor[0] : t.gradFn().inputs();
            if (next < inputs.length) {
                frame[1] = next + 1;
                Tensor in = inputs[next];
                if (in != null && in.requiresGrad() && visited.add(in)) stack.push(new Object[]{in, 0});
            } else {
                stack.pop();
                post.add(t);
            }
        }
        Collections.reverse(post);
        return post;
    }
}
