// Feature normalization of a padded batch x [B, T, F] with per-row valid lengths. CPU reference:
// audio/.../pipeline/Normalization.java (meanAndVariance, apply; perUtterance = both, dataset
// normalization = apply with FeatureStats' mean and variance). Test: NormalizationKernelsTest.
//
//   moments: for each (b, f), the two-pass population mean and variance over the valid frames, in
//            double, in frame order (the reference's order exactly); 0 and 0 when a row has no frame.
//   apply:   shift = (T) mean, scale = (T) (1 / sqrt(var + epsilon)) (0 where that is infinite),
//            y = (x - shift) * scale in T on valid frames, 0 on padded frames.
// Statistics are double [B, F] per utterance, or double [F] for the whole dataset (statsPerRow = 0).
#include "common.cuh"

// One thread per (b, f); neighbouring threads read neighbouring features (coalesced).
template <typename T>
__device__ void normalizationMoments(int batch, int frames, int width, const T* __restrict__ x,
                                     const int* __restrict__ lengths, double* __restrict__ mean,
                                     double* __restrict__ var) {
    SER_FOR_EACH(k, (long long) batch * width) {
        int b = (int) (k / width), f = (int) (k % width);
        int n = lengths[b];
        const T* col = x + (long long) b * frames * width + f;
        double mu = 0, v = 0;
        if (n > 0) {
            for (int t = 0; t < n; t++) mu += (double) col[(long long) t * width];
            mu /= n;
            for (int t = 0; t < n; t++) {
                double e = (double) col[(long long) t * width] - mu;
                v += e * e;
            }
            v /= n;
        }
        mean[k] = mu;
        var[k] = v;
    }
}
extern "C" __global__ void normalization_moments_f32(int batch, int frames, int width, const float* x,
                                                     const int* lengths, double* mean, double* var) {
    normalizationMoments(batch, frames, width, x, lengths, mean, var);
}
extern "C" __global__ void normalization_moments_f64(int batch, int frames, int width, const double* x,
                                                     const int* lengths, double* mean, double* var) {
    normalizationMoments(batch, frames, width, x, lengths, mean, var);
}

template <typename T>
__device__ void normalizationApply(int batch, int frames, int width, const T* __restrict__ x,
                                   const int* __restrict__ lengths, const double* __restrict__ mean,
                                   const double* __restrict__ var, int statsPerRow, double epsilon,
                                   T* __restrict__ out) {
    SER_FOR_EACH(k, (long long) batch * frames * width) {
        int f = (int) (k % width);
        long long bt = k / width;
        int b = (int) (bt / frames), t = (int) (bt % frames);
        if (t < lengths[b]) {
            long long s = (statsPerRow ? (long long) b * width : 0) + f;
            T shift = (T) mean[s];
            T scale = (T) (1.0 / sqrt(var[s] + epsilon));
            // A constant column with epsilon 0 would give 0 * inf = NaN; map it to 0 as epsilon > 0 does.
            if (isInfinite((double) scale)) scale = 0;
            out[k] = (x[k] - shift) * scale;
        } else {
            out[k] = 0;
        }
    }
}
extern "C" __global__ void normalization_apply_f32(int batch, int frames, int width, const float* x, const int* lengths,
                                                   const double* mean, const double* var, int statsPerRow,
                                                   double epsilon, float* out) {
    normalizationApply(batch, frames, width, x, lengths, mean, var, statsPerRow, epsilon, out);
}
extern "C" __global__ void normalization_apply_f64(int batch, int frames, int width, const double* x,
                                                   const int* lengths, const double* mean, const double* var,
                                                   int statsPerRow, double epsilon, double* out) {
    normalizationApply(batch, frames, width, x, lengths, mean, var, statsPerRow, epsilon, out);
}

EMU_REGISTER(normalization_moments_f32) EMU_REGISTER(normalization_moments_f64)
EMU_REGISTER(normalization_apply_f32) EMU_REGISTER(normalization_apply_f64)
