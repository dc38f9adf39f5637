package dev.ser.engine.optim;

import dev.ser.engine.tensor.Tensor;

import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Updates named leaf tensors from their gradients, like {@code torch.optim.Optimizer} with a single
 * parameter group. Names are the model's state_dict names, so the per-parameter state exports as
 * {@code optimizer.state.<param>.<field>} and a checkpoint reads like PyTorch's.
 *
 * <p>The loop is PyTorch's: {@code zeroGrad(); loss.backward(); step(); schedule.step();}. A parameter
 * whose {@link Tensor#grad()} is null is skipped by {@link #step()}, state and all, as in PyTorch.
 */
public abstract class Optimizer {
    /** Prefix of every tensor and metadata key this package writes into a checkpoint. */
    public static final String PREFIX = "optimizer";
    /** Tensors of the per-parameter state: {@code optimizer.state.<param>.<field>}. */
    public static final String STATE_PREFIX = PREFIX + ".state.";

    private final LinkedHashMap<String, Tensor> params;
    private double lr;

    protected Optimizer(Map<String, Tensor> params, double lr) {
        if (params.isEmpty()) throw new IllegalArgumentException("optimizer got an empty parameter list (pass module.namedParameters())");
        Map<Tensor, String> seen = new IdentityHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            if (!p.isLeaf())
                throw new IllegalArgumentException("parameter '" + e.getKey() + "' is the result of an op, not a leaf; "
                        + "an optimizer updates leaves in place (pass module.namedParameters())");
            String before = seen.put(p, e.getKey());
            if (before != null)
                throw new IllegalArgumentException("the same tensor is given twice, as '" + before + "' and '" + e.getKey()
                        + "'; it would be updated twice per step");
        }
        this.params = new LinkedHashMap<>(params);
        setLr(lr);
    }

    /** The parameters by name, in the order given. */
    public final Map<String, Tensor> params() { return Collections.unmodifiableMap(params); }

    /** The learning rate the next {@link #step()} uses ({@code param_groups[0]['lr']}). */
    public final double lr() { return lr; }

    /** Sets the learning rate; schedules call this after each step. */
    public final void setLr(double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("invalid learning rate: " + lr + " (expected a finite value >= 0)");
        this.lr = lr;
    }

    /** One update of every parameter that has a gradient. */
    public abstract void step();

    /** Drops every gradient (PyTorch's {@code zero_grad(set_to_none=True)}): backward then starts afresh. */
    public void zeroGrad() {
        for (Tensor p : params.values()) p.zeroGrad();
    }

    /** The class name PyTorch would show ("Adam", "AdamW"); a checkpoint of another type does not load. */
    public abstract String type();

    /**
     * The per-parameter state as copies, keyed {@code optimizer.state.<param>.<field>} with PyTorch's field
     * names. A parameter that never had a gradient has no entries.
     */
    public abstract Map<String, Tensor> stateTensors();

    /**
     * Replaces the per-parameter state with {@code tensors} (keys as {@link #stateTensors()}; other keys are
     * ignored, so a whole checkpoint's tensors may be passed). Values are converted to each parameter's dtype.
     * Everything is checked before anything changes.
     */
    public abstract void loadStateTensors(Map<String, Tensor> tensors);

    /** Type and hyperparameters (PyTorch's {@code param_groups}) as safetensors {@code __metadata__} strings. */
    public abstract Map<String, String> stateMetadata();

    /** Restores what {@link #stateMetadata()} wrote, learning rate included (as PyTorch's load_state_dict). */
    public abstract void loadStateMetadata(Map<String, String> metadata);
}
