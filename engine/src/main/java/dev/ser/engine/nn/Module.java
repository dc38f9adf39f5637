package dev.ser.engine.nn;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A layer or model: a forward function plus named parameters. Names follow PyTorch's state_dict
 * ({@code lstm.weight_ih_l0}, {@code fc.bias}), so a checkpoint written here loads in PyTorch and back.
 */
public abstract class Module {
    private boolean training = true;

    /** This module's own parameters and those of its children, children's names prefixed "child.". */
    public abstract Map<String, Tensor> namedParameters();

    public boolean isTraining() { return training; }

    /** Training mode enables dropout; evaluation mode disables it. Applies to children too. */
    public void train(boolean on) {
        this.training = on;
        for (Module child : children().values()) child.train(on);
    }

    /** Child modules by name (for prefixing and mode changes). */
    protected Map<String, Module> children() { return Map.of(); }

    /** Helper for composite modules: own parameters plus each child's under "name.". */
    protected Map<String, Tensor> collect(Map<String, Tensor> own) {
        Map<String, Tensor> all = new LinkedHashMap<>(own);
        for (Map.Entry<String, Module> c : children().entrySet())
            for (Map.Entry<String, Tensor> p : c.getValue().namedParameters().entrySet())
                all.put(c.getKey() + "." + p.getKey(), p.getValue());
        return all;
    }

    /**
     * Moves every parameter to {@code backend} in place (the same Tensor objects, so optimizers built on
     * them before or after stay valid), like PyTorch's {@code module.to(device)}. Returns this.
     */
    public Module moveTo(Backend backend) {
        for (Tensor p : namedParameters().values()) p.moveTo(backend);
        return this;
    }

    /** Where the parameters live (the CPU for a module without parameters). */
    public Backend backend() {
        for (Tensor p : namedParameters().values()) return p.backend();
        return dev.ser.engine.backend.cpu.CpuBackend.INSTANCE;
    }

    public void zeroGrad() {
        for (Tensor p : namedParameters().values()) p.zeroGrad();
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor p : namedParameters().values()) n += p.numel();
        return n;
    }
}
