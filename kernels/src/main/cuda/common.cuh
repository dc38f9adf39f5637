// What every kernel file shares: the launch geometry the Java wrappers (dev.ser.cuda.kernels) assume,
// grid-stride loops, and Java's semantics for the few operations where C and Java differ.
#pragma once

#ifndef EMU_REGISTER
#define EMU_REGISTER(kernel)  // nvcc: the GPU finds kernels by name in the fatbin; no registry needed
#endif

// Threads per block of every 1-D launch, and the width of every block reduction. A multiple of 32.
#define SER_BLOCK 256

// Grid-stride loop over [0, n): correct for any grid, so the wrappers may cap the grid.
#define SER_FOR_EACH(i, n)                                                                              \
    for (long long i = (long long) blockIdx.x * blockDim.x + threadIdx.x; i < (n);                     \
         i += (long long) blockDim.x * gridDim.x)

// Java's Math.max: NaN if either is NaN, and +0.0 above -0.0 (fmax does neither reliably).
__device__ __forceinline__ double javaMax(double a, double b) {
    if (a != a) return a;
    if (b != b) return b;
    if (a == 0.0 && b == 0.0) return signbit(a) ? b : a;
    return a > b ? a : b;
}

__device__ __forceinline__ bool isInfinite(double x) { return x == INFINITY || x == -INFINITY; }

// Dynamic shared memory (the size given at launch) as a T*: one extern array for every kernel, as CUDA
// requires; the emulator (emu/cuda_emu.h) maps it to a per-launch buffer instead.
#ifndef SER_DYNAMIC_SHARED
#define SER_DYNAMIC_SHARED(T, name)                                                                     \
    extern __shared__ __align__(16) unsigned char ser_dynamic_shared[];                                 \
    T* name = reinterpret_cast<T*>(ser_dynamic_shared)
#endif

// A barrier over every thread of the grid, with the memory ordering of __syncthreads at grid scope.
// Only valid in a kernel started by a cooperative launch (Device.launchCooperative).
#ifndef SER_GRID_SYNC
#include <cooperative_groups.h>
#define SER_GRID_SYNC() cooperative_groups::this_grid().sync()
#endif
