// Block-wide sum and max in a FIXED order (a shuffle tree inside each warp, then one warp over the
// warp results), so that a reduction gives the same bits run after run: no atomics. Every thread of
// a block of SER_BLOCK threads must call; the result is valid in thread 0 only.
#pragma once
#include "common.cuh"

__device__ __forceinline__ double warpSum(double v) {
    for (int offset = 16; offset > 0; offset /= 2) v += __shfl_down_sync(0xffffffffu, v, offset);
    return v;
}

__device__ __forceinline__ double warpMax(double v) {
    for (int offset = 16; offset > 0; offset /= 2) v = javaMax(v, __shfl_down_sync(0xffffffffu, v, offset));
    return v;
}

__device__ __forceinline__ double blockSum(double v) {
    __shared__ double perWarp[SER_BLOCK / 32];
    __syncthreads();  // a previous call's readers are done with perWarp
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    v = warpSum(v);
    if (lane == 0) perWarp[warp] = v;
    __syncthreads();
    if (warp == 0) v = warpSum(lane < SER_BLOCK / 32 ? perWarp[lane] : 0.0);
    return v;
}

__device__ __forceinline__ double blockMax(double v) {
    __shared__ double perWarp[SER_BLOCK / 32];
    __syncthreads();
    int lane = threadIdx.x % 32, warp = threadIdx.x / 32;
    v = warpMax(v);
    if (lane == 0) perWarp[warp] = v;
    __syncthreads();
    if (warp == 0) v = warpMax(lane < SER_BLOCK / 32 ? perWarp[lane] : -INFINITY);
    return v;
}
