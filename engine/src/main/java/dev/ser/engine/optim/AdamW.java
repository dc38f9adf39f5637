package dev.ser.engine.optim;

import dev.ser.engine.tensor.Tensor;

import java.util.Map;

/**
 * AdamW as {@code torch.optim.AdamW} in PyTorch 1.13: Adam with decoupled weight decay (Loshchilov and
 * Hutter). Before the Adam update, each parameter with a gradient is multiplied by (1 - lr * weight_decay);
 * the moments see the raw gradient. Everything else is {@link Adam}.
 */
public final class AdamW extends Adam {
    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, no amsgrad. */
    public AdamW(Map<String, Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 1e-2, false); }

    public AdamW(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        super(params, lr, beta1, beta2, eps, weightDecay, amsgrad, true);
    }
}
