package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.AdamUpdate;

/**
 * Adam's per-element update on host arrays, operation for operation as PyTorch 1.13's single-tensor
 * path (see optim.Adam for the formula and why the lines associate as they do). The F64 version matches
 * PyTorch's float64 to rounding; the F32 one rounds every scalar to float first, as PyTorch does.
 * The CUDA kernel (kernels/src/main/cuda) is checked against this file.
 */
final class AdamCpu {
    private AdamCpu() {}

    static void updateF64(AdamUpdate u, double[] p, double[] g, double[] m, double[] v, double[] vmax) {
        double b1 = u.beta1(), b2 = u.beta2(), a1 = 1 - u.beta1(), a2 = 1 - u.beta2(), negStep = -u.stepSize(), e = u.eps();
        double l2 = u.l2(), decay = u.decay(), bc2Sqrt = u.biasCorrection2Sqrt();
        for (int i = 0; i < p.length; i++) {
            double gi = g[i];
            if (l2 != 0) gi = gi + l2 * p[i];
            if (decay != 1) p[i] = p[i] * decay;
            double mi = m[i] * b1 + a1 * gi;
            double vi = v[i] * b2 + a2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) vi = vmax[i] = Math.max(vmax[i], vi);
            double denom = Math.sqrt(vi) / bc2Sqrt + e;
            p[i] = p[i] + negStep * mi / denom;
        }
    }

    static void updateF32(AdamUpdate u, float[] p, float[] g, float[] m, float[] v, float[] vmax) {
        // PyTorch turns each Python scalar into the tensor's dtype before the kernel runs.
        float b1 = (float) u.beta1(), b2 = (float) u.beta2(), a1 = (float) (1 - u.beta1()), a2 = (float) (1 - u.beta2());
        float negStep = (float) -u.stepSize(), e = (float) u.eps(), dec = (float) u.decay(), wd = (float) u.l2();
        float bc = (float) u.biasCorrection2Sqrt();
        for (int i = 0; i < p.length; i++) {
            float gi = g[i];
            if (wd != 0) gi = gi + wd * p[i];
            if (dec != 1) p[i] = p[i] * dec;
            float mi = m[i] * b1 + a1 * gi;
            float vi = v[i] * b2 + a2 * gi * gi;
            m[i] = mi;
            v[i] = vi;
            if (vmax != null) vi = vmax[i] = Math.max(vmax[i], vi);
            float denom = (float) Math.sqrt(vi) / bc + e;
            p[i] = p[i] + negStep * mi / denom;
        }
    }
}
