// Shapes and strides passed BY VALUE to a kernel (cuLaunchKernel copies the bytes; no device buffer
// to manage). The Java side (dev.ser.cuda.kernels.Layouts) writes exactly these C layouts: int32
// fields, no padding, 4-byte alignment. Strides are in elements; 0 = broadcast along that axis.
#pragma once

#define SER_MAX_RANK 8

struct StridedLayout {
    int rank;
    int shape[SER_MAX_RANK];
    int strides[SER_MAX_RANK];

    // The strided offset of the i-th element of the contiguous tensor of this shape (C order).
    __device__ __forceinline__ long long offsetOf(long long i) const {
        long long offset = 0;
        for (int ax = rank - 1; ax >= 0; ax--) {
            offset += (i % shape[ax]) * strides[ax];
            i /= shape[ax];
        }
        return offset;
    }
};

struct BinaryLayout {
    int rank;
    int shape[SER_MAX_RANK];
    int aStrides[SER_MAX_RANK];
    int bStrides[SER_MAX_RANK];
};
