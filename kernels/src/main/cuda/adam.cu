// Adam / AdamW, one thread per element. CPU reference: dev.ser.engine.backend.cpu.AdamCpu.updateF32 / updateF64,
// operation for operation (ATen's association: addcmul self + value*t1*t2, addcdiv self + value*t1/t2),
// so with -fmad=false the result is the same bits. Test: AdamKernelsTest.
//
// The scalars arrive already in the parameter's dtype: for F32 the wrapper rounds them to float first,
// as PyTorch does with Python scalars for float32 tensors (and as updateF32 does). decay = 1 - lr * wd
// for AdamW (1 for Adam), l2 = wd for Adam (0 for AdamW); maxExpAvgSq null = no amsgrad.
#include "common.cuh"

template <typename T>
struct AdamScalars {
    T beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, decay, l2, negStepSize, bc2Sqrt;
};

template <typename T>
__device__ void adam(long long n, T* __restrict__ p, const T* __restrict__ grad, T* __restrict__ m,
                     T* __restrict__ v, T* __restrict__ vmax, AdamScalars<T> s) {
    SER_FOR_EACH(k, n) {
        T gi = grad[k];
        if (s.l2 != 0) gi = gi + s.l2 * p[k];
        if (s.decay != 1) p[k] = p[k] * s.decay;
        T mi = m[k] * s.beta1 + s.oneMinusBeta1 * gi;
        T vi = v[k] * s.beta2 + s.oneMinusBeta2 * gi * gi;
        m[k] = mi;
        v[k] = vi;
        if (vmax) {
            // Math.max of two non-NaN moments; a NaN moment propagates as in Java.
            vi = (T) javaMax(vmax[k], vi);
            vmax[k] = vi;
        }
        T denom = (T) sqrt((double) vi) / s.bc2Sqrt + s.eps;  // sqrt in double, rounded once = IEEE sqrtf
        p[k] = p[k] + s.negStepSize * mi / denom;
    }
}
extern "C" __global__ void adam_f32(long long n, float* p, const float* grad, float* m, float* v, float* vmax,
                                    float beta1, float beta2, float oneMinusBeta1, float oneMinusBeta2, float eps,
                                    float decay, float l2, float negStepSize, float bc2Sqrt) {
    adam(n, p, grad, m, v, vmax,
         AdamScalars<float>{beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, decay, l2, negStepSize, bc2Sqrt});
}
extern "C" __global__ void adam_f64(long long n, double* p, const double* grad, double* m, double* v, double* vmax,
                                    double beta1, double beta2, double oneMinusBeta1, double oneMinusBeta2,
                                    double eps, double decay, double l2, double negStepSize, double bc2Sqrt) {
    adam(n, p, grad, m, v, vmax,
         AdamScalars<double>{beta1, beta2, oneMinusBeta1, oneMinusBeta2, eps, decay, l2, negStepSize, bc2Sqrt});
}

EMU_REGISTER(adam_f32) EMU_REGISTER(adam_f64)
