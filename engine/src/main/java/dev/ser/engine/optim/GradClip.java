package dev.ser.engine.optim;

import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code torch.nn.utils.clip_grad_norm_} with norm_type 2 (PyTorch 1.13): the 2-norm of all gradients
 * taken together, computed as the norm of the per-tensor norms; when it exceeds {@code maxNorm} every
 * gradient is scaled by {@code maxNorm / (totalNorm + 1e-6)} (the 1e-6 keeps the coefficient finite for
 * an all-zero gradient). Tensors without a gradient are ignored. Sums run in double for F32 gradients
 * too, so F32 norms are slightly more accurate than PyTorch's float32 ones.
 *
 * <p>Unlike PyTorch (whose default is {@code error_if_nonfinite=False}), a NaN or infinite total norm
 * throws by default, naming the first parameter whose gradient is not finite: training on after that
 * silently turns every weight into NaN.
 */
public final class GradClip {
    private GradClip() {}

    /** Clips in place and returns the total norm before clipping; throws on a non-finite norm. */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, true);
    }

    /** As {@link #clipGradNorm(Collection, double)}; with {@code errorIfNonfinite} false it scales anyway, like PyTorch. */
    public static double clipGradNorm(Collection<Tensor> params, double maxNorm, boolean errorIfNonfinite) {
        Map<String, Tensor> named = new LinkedHashMap<>();
        int i = 0;
        for (Tensor p : params) {
            String name = p.name() != null ? p.name() : "parameter #" + i + " of shape " + Shape.str(p.shape());
            named.put(named.containsKey(name) ? name + " (#" + i + ")" : name, p);
            i++;
        }
        return clipGradNorm(named, maxNorm, errorIfNonfinite);
    }

    /** Named parameters (module.namedParameters()), so an error names the culprit as the state_dict does. */
    public static double clipGradNorm(Map<String, Tensor> params, double maxNorm) {
        return clipGradNorm(params, maxNorm, true);
    }

    public static double clipGradNorm(Map<String, Tensor> params, double maxNorm, boolean errorIfNonfinite) {
        if (!(maxNorm >= 0)) throw new IllegalArgumentException("max_norm must be >= 0, got " + maxNorm);
        List<Tensor> grads = new ArrayList<>();
        for (Tensor p : params.values()) if (p.grad() != null) grads.add(p.grad());
        if (grads.isEmpty()) return 0;
        double sumOfSquaredNorms = 0;
        for (Tensor g : grads) {
            double norm = Math.sqrt(g.backend().squaredNorm(g));
            sumOfSquaredNorms += norm * norm;
        }
        double totalNorm = Math.sqrt(sumOfSquaredNorms);
        if (!Double.isFinite(totalNorm) && errorIfNonfinite) throw nonFinite(params, totalNorm);
        double clipCoef = maxNorm / (totalNorm + 1e-6);
        // clamp(max=1) keeps NaN, as torch.clamp does; multiplying by exactly 1 would change nothing.
        double scale = Double.isNaN(clipCoef) ? clipCoef : Math.min(clipCoef, 1.0);
        // For float32 gradients the backend rounds the scale to float, as PyTorch's clip_coef is a float32 tensor.
        if (scale != 1.0) for (Tensor g : grads) g.backend().scaleInPlace(g, scale);
        return totalNorm;
    }

    private static IllegalStateException nonFinite(Map<String, Tensor> params, double totalNorm) {
        String hint = "; lower the learning rate or look for log(0), 0/0 or exp overflow in the loss, "
                + "or call clipGradNorm(params, maxNorm, false) to scale by the non-finite norm anyway";
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor g = e.getValue().grad();
            if (g == null) continue;
            double[] h = g.toDoubleArray(); // only on the way to an error: a download is fine here
            for (int i = 0; i < h.length; i++) {
                double x = h[i];
                if (!Double.isFinite(x))
                    return new IllegalStateException("the total gradient norm is " + totalNorm + ": the gradient of '" + e.getKey()
                            + "' holds " + x + " at flat index " + i + " (shape " + Shape.str(g.shape()) + ")" + hint);
            }
        }
        return new IllegalStateException("the total gradient norm overflowed to " + totalNorm
                + " although every gradient element is finite (some are near 1e154 or larger)" + hint);
    }
}
