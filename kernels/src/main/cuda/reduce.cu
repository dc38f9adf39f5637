// Reductions over the middle axis of an [outer, n, inner] view, and the sum of squares for gradient
// clipping. CPU reference: CpuBackend.sum / CpuBackend.max (a sequential double sum per lane). Test:
// ReductionKernelsTest.
//
// Deterministic: no atomics, and every sum is taken in an order fixed by the launch geometry, which
// the wrappers derive from the sizes alone; so a run gives the same bits as the run before.
//   v1 lanes: one thread per output (outer * inner of them) walks n in order, in double: the CPU's
//      order exactly, coalesced across inner. Poor when inner == 1 and n is large (few, long lanes).
//   v2 rows (inner == 1): one block per row, each thread a strided partial sum in double, then a
//      shuffle tree (block_reduce.cuh). Differs from the CPU only by the order of the double sum.
#include "block_reduce.cuh"

template <typename T>
__device__ void sumLanes(int outer, int n, int inner, const T* __restrict__ in, T* __restrict__ out) {
    SER_FOR_EACH(lane, (long long) outer * inner) {
        long long p = lane / inner, q = lane % inner;
        const T* x = in + p * n * inner + q;
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[(long long) i * inner];
        out[lane] = (T) s;
    }
}
extern "C" __global__ void sum_lanes_f32(int outer, int n, int inner, const float* in, float* out) {
    sumLanes(outer, n, inner, in, out);
}
extern "C" __global__ void sum_lanes_f64(int outer, int n, int inner, const double* in, double* out) {
    sumLanes(outer, n, inner, in, out);
}

template <typename T>
__device__ void sumRows(int outer, int n, const T* __restrict__ in, T* __restrict__ out) {
    for (int row = blockIdx.x; row < outer; row += gridDim.x) {
        const T* x = in + (long long) row * n;
        double s = 0;
        for (int i = threadIdx.x; i < n; i += SER_BLOCK) s += (double) x[i];
        s = blockSum(s);
        if (threadIdx.x == 0) out[row] = (T) s;
    }
}
extern "C" __global__ void sum_rows_f32(int outer, int n, const float* in, float* out) { sumRows(outer, n, in, out); }
extern "C" __global__ void sum_rows_f64(int outer, int n, const double* in, double* out) { sumRows(outer, n, in, out); }

// Max with Java's Math.max semantics (NaN wins; +0.0 above -0.0); the order does not matter for max.
template <typename T>
__device__ void maxLanes(int outer, int n, int inner, const T* __restrict__ in, T* __restrict__ out) {
    SER_FOR_EACH(lane, (long long) outer * inner) {
        long long p = lane / inner, q = lane % inner;
        const T* x = in + p * n * inner + q;
        double m = -INFINITY;
        for (int i = 0; i < n; i++) m = javaMax(m, (double) x[(long long) i * inner]);
        out[lane] = (T) m;
    }
}
extern "C" __global__ void max_lanes_f32(int outer, int n, int inner, const float* in, float* out) {
    maxLanes(outer, n, inner, in, out);
}
extern "C" __global__ void max_lanes_f64(int outer, int n, int inner, const double* in, double* out) {
    maxLanes(outer, n, inner, in, out);
}

template <typename T>
__device__ void maxRows(int outer, int n, const T* __restrict__ in, T* __restrict__ out) {
    for (int row = blockIdx.x; row < outer; row += gridDim.x) {
        const T* x = in + (long long) row * n;
        double m = -INFINITY;
        for (int i = threadIdx.x; i < n; i += SER_BLOCK) m = javaMax(m, (double) x[i]);
        m = blockMax(m);
        if (threadIdx.x == 0) out[row] = (T) m;
    }
}
extern "C" __global__ void max_rows_f32(int outer, int n, const float* in, float* out) { maxRows(outer, n, in, out); }
extern "C" __global__ void max_rows_f64(int outer, int n, const double* in, double* out) { maxRows(outer, n, in, out); }

// sum x_i^2 into one double, in two launches (a deterministic two-level tree):
// partial: block b sums the squares of its grid-stride share into partials[b];
// finish: one block sums the partials into out.
template <typename T>
__device__ void sumSquaresPartial(long long n, const T* __restrict__ x, double* __restrict__ partials) {
    double s = 0;
    SER_FOR_EACH(i, n) {
        double v = x[i];
        s += v * v;
    }
    s = blockSum(s);
    if (threadIdx.x == 0) partials[blockIdx.x] = s;
}
extern "C" __global__ void sum_squares_partial_f32(long long n, const float* x, double* partials) {
    sumSquaresPartial(n, x, partials);
}
extern "C" __global__ void sum_squares_partial_f64(long long n, const double* x, double* partials) {
    sumSquaresPartial(n, x, partials);
}

extern "C" __global__ void sum_squares_finish(int count, const double* __restrict__ partials, double* __restrict__ out) {
    double s = 0;
    for (int i = threadIdx.x; i < count; i += SER_BLOCK) s += partials[i];
    s = blockSum(s);
    if (threadIdx.x == 0) *out = s;
}

EMU_REGISTER(sum_lanes_f32) EMU_REGISTER(sum_lanes_f64)
EMU_REGISTER(sum_rows_f32) EMU_REGISTER(sum_rows_f64)
EMU_REGISTER(max_lanes_f32) EMU_REGISTER(max_lanes_f64)
EMU_REGISTER(max_rows_f32) EMU_REGISTER(max_rows_f64)
EMU_REGISTER(sum_squares_partial_f32) EMU_REGISTER(sum_squares_partial_f64)
EMU_REGISTER(sum_squares_finish)
