package dev.ser.cuda.kernels;

import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/**
 * Launches src/main/cuda/adam.cu: one Adam/AdamW step for one parameter tensor, as backend/cpu/AdamCpu.updateF32/F64.
 * The caller computes the per-step scalars as Adam.step does: stepSize = lr / (1 - beta1^step),
 * bc2Sqrt = sqrt(1 - beta2^step), decay = 1 - lr * wd (AdamW; else 1), l2 = wd (Adam; else 0).
 */
final class AdamKernel {
    private final Launch launch;

    AdamKernel(Launch launch) { this.launch = launch; }

    void update(DType p, long n, long param, long grad, long expAvg, long expAvgSq, long maxExpAvgSq, double beta1,
                double beta2, double eps, double decay, double l2, double stepSize, double bc2Sqrt) {
        if (n == 0) return;
        KernelArgs args = new KernelArgs().i64(n).ptr(param).ptr(grad).ptr(expAvg).ptr(expAvgSq).ptr(maxExpAvgSq);
        // Each scalar rounded to the dtype on its own, as updateF32 does: (float) (1 - beta1), not 1 - (float) beta1.
        for (double s : new double[]{beta1, beta2, 1 - beta1, 1 - beta2, eps, decay, l2, -stepSize, bc2Sqrt})
            Launch.scalar(args, p, s);
        launch.elementwise("adam", p, n, args);
    }
}
