package dev.ser.cuda.device;

import java.lang.foreign.MemorySegment;

/**
 * What the CUDA backend needs of a GPU: memory, copies, kernel launches by name, GEMM, and a point to
 * wait at. Addresses are plain {@code long}s, as CUDA's {@code CUdeviceptr}, so that the same kernel
 * arguments and cuBLAS calls work for every implementation.
 *
 * <p>Two implementations: {@code CudaDevice} (JCuda's driver API on a real GPU, kernels from the
 * fatbin) and {@code EmulatedDevice} (host memory, the same {@code .cu} sources compiled for the CPU by
 * g++ against {@code emu/cuda_emu.h}). The emulated one lets every test of the backend run where there is
 * no GPU; the real one runs the same tests on the GPU machine.
 *
 * <p>All work goes to one in-order stream: a launch or copy sees the effects of everything issued
 * before it. {@link #copyToHost} waits for the stream.
 */
public interface Device extends AutoCloseable {
    /** For messages and reports, e.g. "NVIDIA H200 (sm_90, 139 GiB)" or "emulated on the CPU". */
    String name();

    /** {@code bytes} of device memory, aligned to 256 bytes; contents undefined. */
    long alloc(long bytes);

    /** Returns memory from {@link #alloc} (to a cache: freeing does not wait for the stream). */
    void free(long address, long bytes);

    void copyToDevice(MemorySegment src, long dst, long bytes);

    /** Waits for the stream, then copies. */
    void copyToHost(long src, MemorySegment dst, long bytes);

    void copyOnDevice(long src, long dst, long bytes);

    /** Sets {@code bytes} bytes at {@code dst} to zero. */
    void zero(long dst, long bytes);

    /** Launches the {@code extern "C"} kernel {@code kernel} of the project's kernel library. */
    void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args);

    /** Waits until everything issued so far has finished; rethrows an asynchronous error. */
    void synchronize();

    /** GEMMs on this device's stream. */
    Blas blas();

    @Override void close();
}
