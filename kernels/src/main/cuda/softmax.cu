// Softmax and log-softmax over the middle axis of [outer, n, inner], and their gradients. CPU
// reference: CpuBackend.softmax / logSoftmax / softmaxGrad / logSoftmaxGrad. Test: SoftmaxKernelsTest.
//
// v1 (this): one thread per lane (outer * inner lanes) walks its n elements in order, in double, with
// the reference's operations: max, s = sum exp(x - max), then exp(z) / s or z - log(s). The model's
// softmaxes are over a handful of classes, where a lane per thread is the right shape; a long-row
// (block per lane) version would be the next one if a profile asks for it.
#include "common.cuh"

template <typename T>
__device__ void softmax(int takeLog, int outer, int n, int inner, const T* __restrict__ x, T* __restrict__ y) {
    SER_FOR_EACH(lane, (long long) outer * inner) {
        long long base = (lane / inner) * n * inner + lane % inner;
        const T* xs = x + base;
        T* ys = y + base;
        double m = -INFINITY;
        for (int i = 0; i < n; i++) m = javaMax(m, (double) xs[(long long) i * inner]);
        double s = 0;
        for (int i = 0; i < n; i++) s += exp((double) xs[(long long) i * inner] - m);
        double logS = log(s);
        for (int i = 0; i < n; i++) {
            double z = (double) xs[(long long) i * inner] - m;
            ys[(long long) i * inner] = (T) (takeLog ? z - logS : exp(z) / s);
        }
    }
}
extern "C" __global__ void softmax_f32(int takeLog, int outer, int n, int inner, const float* x, float* y) {
    softmax(takeLog, outer, n, inner, x, y);
}
extern "C" __global__ void softmax_f64(int takeLog, int outer, int n, int inner, const double* x, double* y) {
    softmax(takeLog, outer, n, inner, x, y);
}

// softmax:     dx = y * (g - sum(g * y))
// log-softmax: dx = g - exp(y) * sum(g)      (exp(y) = softmax(x))
template <typename T>
__device__ void softmaxGrad(int takeLog, int outer, int n, int inner, const T* __restrict__ y, const T* __restrict__ g,
                            T* __restrict__ out) {
    SER_FOR_EACH(lane, (long long) outer * inner) {
        long long base = (lane / inner) * n * inner + lane % inner;
        double s = 0;
        for (int i = 0; i < n; i++) {
            long long j = base + (long long) i * inner;
            s += takeLog ? (double) g[j] : (double) g[j] * (double) y[j];
        }
        for (int i = 0; i < n; i++) {
            long long j = base + (long long) i * inner;
            out[j] = (T) (takeLog ? (double) g[j] - exp((double) y[j]) * s : (double) y[j] * ((double) g[j] - s));
        }
    }
}
extern "C" __global__ void softmax_grad_f32(int takeLog, int outer, int n, int inner, const float* y, const float* g,
                                            float* out) {
    softmaxGrad(takeLog, outer, n, inner, y, g, out);
}
extern "C" __global__ void softmax_grad_f64(int takeLog, int outer, int n, int inner, const double* y, const double* g,
                                            double* out) {
    softmaxGrad(takeLog, outer, n, inner, y, g, out);
}

EMU_REGISTER(softmax_f32) EMU_REGISTER(softmax_f64)
EMU_REGISTER(softmax_grad_f32) EMU_REGISTER(softmax_grad_f64)
