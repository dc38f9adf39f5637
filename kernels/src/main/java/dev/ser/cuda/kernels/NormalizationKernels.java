package dev.ser.cuda.kernels;

import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/**
 * Launches src/main/cuda/normalization.cu: feature normalization of a padded batch x [B, T, F] (valid
 * frames per row in lengths, int32), as audio's Normalization: moments = meanAndVariance per row,
 * apply = apply with per-row or dataset statistics, perUtterance = both (CMVN).
 */
final class NormalizationKernels {
    private final Launch launch;

    NormalizationKernels(Launch launch) { this.launch = launch; }

    /** Population mean and variance over each row's valid frames into double [B, F] each (0, 0 for an empty row). */
    void moments(DType p, int batch, int frames, int width, long x, long lengthsI32, long meanF64, long varF64) {
        long n = (long) batch * width;
        if (n == 0) return;
        launch.elementwise("normalization_moments", p, n, new KernelArgs().i32(batch).i32(frames).i32(width)
                .ptr(x).ptr(lengthsI32).ptr(meanF64).ptr(varF64));
    }

    /**
     * out = (x - mean) / sqrt(var + epsilon) on valid frames, 0 on padded ones. Statistics: double
     * [B, F] when perRowStatistics (per utterance), else double [F] for every row (FeatureStats).
     */
    void apply(DType p, int batch, int frames, int width, long x, long lengthsI32, long meanF64, long varF64,
               boolean perRowStatistics, double epsilon, long out) {
        if (!(epsilon >= 0)) throw new IllegalArgumentException("epsilon must be >= 0; found " + epsilon);
        long n = (long) batch * frames * width;
        if (n == 0) return;
        launch.elementwise("normalization_apply", p, n, new KernelArgs().i32(batch).i32(frames).i32(width)
                .ptr(x).ptr(lengthsI32).ptr(meanF64).ptr(varF64).i32(perRowStatistics ? 1 : 0).f64(epsilon).ptr(out));
    }

    /** Normalization.perUtterance for every row: moments into a scratch, then apply. */
    void perUtterance(DType p, int batch, int frames, int width, long x, long lengthsI32, double epsilon, long out) {
        long bytes = 8L * batch * width;
        if (bytes == 0) return;
        long mean = launch.device.alloc(bytes), var = launch.device.alloc(bytes);
        try {
            moments(p, batch, frames, width, x, lengthsI32, mean, var);
            apply(p, batch, frames, width, x, lengthsI32, mean, var, true, epsilon, out);
        } finally {
            launch.device.free(mean, bytes);
            launch.device.free(var, bytes);
        }
    }
}
