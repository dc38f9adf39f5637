package dev.ser.engine.nn;

import dev.ser.engine.ops.MatMul;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/** PyTorch's nn.Linear: y = x W^T + b, W [out, in], over the last axis of x (any leading axes). */
public final class Dense extends Module {
    public final int inFeatures, outFeatures;
    private final Tensor weight, bias;

    /** Initialized as PyTorch does: W and b uniform in ±1/sqrt(in). */
    public Dense(int inFeatures, int outFeatures, DType dtype, SplittableRandom rng) {
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        double bound = 1 / Math.sqrt(inFeatures);
        weight = Tensor.uniform(dtype, rng, -bound, bound, outFeatures, inFeatures).requiresGrad(true).name("weight");
        bias = Tensor.uniform(dtype, rng, -bound, bound, outFeatures).requiresGrad(true).name("bias");
    }

    public Tensor forward(Tensor x) {
        if (x.dim(-1) != inFeatures)
            throw new IllegalArgumentException("Dense(" + inFeatures + " -> " + outFeatures + ") got input with last axis " + x.dim(-1));
        int[] shape = x.shape();
        Tensor flat = x.reshape(-1, inFeatures);
        Tensor y = MatMul.matmul(flat, weight, false, true).add(bias);
        shape[shape.length - 1] = outFeatures;
        return y.reshape(shape);
    }

    public Tensor weight() { return weight; }

    public Tensor bias() { return bias; }

    @Override public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", weight);
        m.put("bias", bias);
        return m;
    }
}
