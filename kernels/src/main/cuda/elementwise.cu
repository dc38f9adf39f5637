// Elementwise kernels: one thread per element in a grid-stride loop (SER_BLOCK threads a block).
// CPU reference: engine/.../backend/cpu/CpuBackend.java (cast, affine, unary, unaryGrad, binary,
// expand/permute/slice = gather, unslice/concat = scatter). Test: ElementwiseKernelsTest.
//
// Rounding follows the reference: CpuBackend computes unary, unaryGrad and affine in double and rounds
// once to the tensor's dtype, so the F32 kernels do the same (the double transcendentals cost speed on
// the GPU but give the reference's bits, up to libm's last ulp). Compiled with -fmad=false, so
// x * s + t is a product and a sum, as in Java.
#include "common.cuh"
#include "strided.cuh"

template <typename T>
__device__ void fill(long long n, T value, T* __restrict__ out) {
    SER_FOR_EACH(i, n) out[i] = value;
}
extern "C" __global__ void fill_f32(long long n, float value, float* out) { fill(n, value, out); }
extern "C" __global__ void fill_f64(long long n, double value, double* out) { fill(n, value, out); }

extern "C" __global__ void cast_f32_to_f64(long long n, const float* __restrict__ in, double* __restrict__ out) {
    SER_FOR_EACH(i, n) out[i] = (double) in[i];
}
extern "C" __global__ void cast_f64_to_f32(long long n, const double* __restrict__ in, float* __restrict__ out) {
    SER_FOR_EACH(i, n) out[i] = (float) in[i];  // round to nearest even, as Java's (float) cast
}

// out = x * scale + shift in double, rounded once (CpuBackend.affine). out may be x.
template <typename T>
__device__ void affine(long long n, const T* x, double scale, double shift, T* out) {
    SER_FOR_EACH(i, n) out[i] = (T) ((double) x[i] * scale + shift);
}
extern "C" __global__ void affine_f32(long long n, const float* x, double scale, double shift, float* out) {
    affine(n, x, scale, shift, out);
}
extern "C" __global__ void affine_f64(long long n, const double* x, double scale, double shift, double* out) {
    affine(n, x, scale, shift, out);
}

// dst += src: gradient accumulation, in the tensor's dtype as Tensor.add would.
template <typename T>
__device__ void accumulate(long long n, const T* __restrict__ src, T* __restrict__ dst) {
    SER_FOR_EACH(i, n) dst[i] = dst[i] + src[i];
}
extern "C" __global__ void accumulate_f32(long long n, const float* src, float* dst) { accumulate(n, src, dst); }
extern "C" __global__ void accumulate_f64(long long n, const double* src, double* dst) { accumulate(n, src, dst); }

// Op codes: the ordinals of dev.ser.engine.backend.Backend.UnaryOp.
enum UnaryOp { EXP, LOG, TANH, SIGMOID, RELU, SQRT };

// CpuBackend.sigmoid: never exp of a large positive number.
__device__ __forceinline__ double sigmoidRef(double v) {
    if (v >= 0) return 1 / (1 + exp(-v));
    double e = exp(v);
    return e / (1 + e);
}

__device__ __forceinline__ double unaryOp(int op, double v) {
    switch (op) {
        case EXP: return exp(v);
        case LOG: return log(v);
        case TANH: return tanh(v);
        case SIGMOID: return sigmoidRef(v);
        case RELU: return v > 0 ? v : 0;
        default: return sqrt(v);
    }
}

template <typename T>
__device__ void unary(int op, long long n, const T* x, T* out) {
    SER_FOR_EACH(i, n) out[i] = (T) unaryOp(op, (double) x[i]);
}
extern "C" __global__ void unary_f32(int op, long long n, const float* x, float* out) { unary(op, n, x, out); }
extern "C" __global__ void unary_f64(int op, long long n, const double* x, double* out) { unary(op, n, x, out); }

// g * f'(x) from x or y = f(x), in double with CpuBackend.unaryGrad's association. x or y may be
// null where the op does not read it (EXP, TANH, SIGMOID, SQRT read y; LOG, RELU read x).
template <typename T>
__device__ void unaryGrad(int op, long long n, const T* x, const T* y, const T* g, T* out) {
    SER_FOR_EACH(i, n) {
        double gi = g[i], r;
        switch (op) {
            case EXP: r = gi * (double) y[i]; break;
            case LOG: r = gi / (double) x[i]; break;
            case TANH: r = gi * (1 - (double) y[i] * (double) y[i]); break;
            case SIGMOID: r = gi * (double) y[i] * (1 - (double) y[i]); break;
            case RELU: r = x[i] > 0 ? gi : 0; break;
            default: r = gi * 0.5 / (double) y[i]; break;
        }
        out[i] = (T) r;
    }
}
extern "C" __global__ void unary_grad_f32(int op, long long n, const float* x, const float* y, const float* g, float* out) {
    unaryGrad(op, n, x, y, g, out);
}
extern "C" __global__ void unary_grad_f64(int op, long long n, const double* x, const double* y, const double* g,
                                          double* out) {
    unaryGrad(op, n, x, y, g, out);
}

// Op codes: the ordinals of Backend.BinaryOp. In the dtype: for + - * / of floats, double-then-round
// (CpuBackend's broadcast path) and float arithmetic (its same-shape path) give the same bits.
enum BinaryOp { ADD, SUB, MUL, DIV };

template <typename T>
__device__ __forceinline__ T binaryOp(int op, T u, T v) {
    switch (op) {
        case ADD: return u + v;
        case SUB: return u - v;
        case MUL: return u * v;
        default: return u / v;
    }
}

// Same shape, both contiguous: the fast path (no index arithmetic).
template <typename T>
__device__ void binaryContiguous(int op, long long n, const T* a, const T* b, T* out) {
    SER_FOR_EACH(i, n) out[i] = binaryOp(op, a[i], b[i]);
}
extern "C" __global__ void binary_contiguous_f32(int op, long long n, const float* a, const float* b, float* out) {
    binaryContiguous(op, n, a, b, out);
}
extern "C" __global__ void binary_contiguous_f64(int op, long long n, const double* a, const double* b, double* out) {
    binaryContiguous(op, n, a, b, out);
}

// Broadcasting: out (contiguous, shape s.shape) from a and b read through their strides (0 = broadcast).
template <typename T>
__device__ void binaryStrided(int op, long long n, BinaryLayout s, const T* a, const T* b, T* out) {
    SER_FOR_EACH(i, n) {
        long long ia = 0, ib = 0, rest = i;
        for (int ax = s.rank - 1; ax >= 0; ax--) {
            long long k = rest % s.shape[ax];
            rest /= s.shape[ax];
            ia += k * s.aStrides[ax];
            ib += k * s.bStrides[ax];
        }
        out[i] = binaryOp(op, a[ia], b[ib]);
    }
}
extern "C" __global__ void binary_strided_f32(int op, long long n, BinaryLayout s, const float* a, const float* b,
                                              float* out) {
    binaryStrided(op, n, s, a, b, out);
}
extern "C" __global__ void binary_strided_f64(int op, long long n, BinaryLayout s, const double* a, const double* b,
                                              double* out) {
    binaryStrided(op, n, s, a, b, out);
}

// out[i] = in[inOffset + sum_k idx_k * strides_k], out contiguous: expand (stride 0), permute
// (permuted strides), slice (offset), or any mix.
template <typename T>
__device__ void gather(long long n, StridedLayout s, const T* in, long long inOffset, T* out) {
    SER_FOR_EACH(i, n) out[i] = in[inOffset + s.offsetOf(i)];
}
extern "C" __global__ void gather_f32(long long n, StridedLayout s, const float* in, long long inOffset, float* out) {
    gather(n, s, in, inOffset, out);
}
extern "C" __global__ void gather_f64(long long n, StridedLayout s, const double* in, long long inOffset, double* out) {
    gather(n, s, in, inOffset, out);
}

// out[outOffset + sum_k idx_k * strides_k] = in[i], in contiguous: unslice and concat write a part into
// its place in a larger tensor. The strides must not alias two elements (they never do for those).
template <typename T>
__device__ void scatter(long long n, StridedLayout s, const T* in, T* out, long long outOffset) {
    SER_FOR_EACH(i, n) out[outOffset + s.offsetOf(i)] = in[i];
}
extern "C" __global__ void scatter_f32(long long n, StridedLayout s, const float* in, float* out, long long outOffset) {
    scatter(n, s, in, out, outOffset);
}
extern "C" __global__ void scatter_f64(long long n, StridedLayout s, const double* in, double* out, long long outOffset) {
    scatter(n, s, in, out, outOffset);
}

EMU_REGISTER(fill_f32) EMU_REGISTER(fill_f64)
EMU_REGISTER(cast_f32_to_f64) EMU_REGISTER(cast_f64_to_f32)
EMU_REGISTER(affine_f32) EMU_REGISTER(affine_f64)
EMU_REGISTER(accumulate_f32) EMU_REGISTER(accumulate_f64)
EMU_REGISTER(unary_f32) EMU_REGISTER(unary_f64)
EMU_REGISTER(unary_grad_f32) EMU_REGISTER(unary_grad_f64)
EMU_REGISTER(binary_contiguous_f32) EMU_REGISTER(binary_contiguous_f64)
EMU_REGISTER(binary_strided_f32) EMU_REGISTER(binary_strided_f64)
EMU_REGISTER(gather_f32) EMU_REGISTER(gather_f64)
EMU_REGISTER(scatter_f32) EMU_REGISTER(scatter_f64)
