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

    /**
     * Launches {@code kernel} so that every block of the grid is resident at once (CUDA's
     * {@code cuLaunchCooperativeKernel}), which lets the kernel wait at a grid-wide barrier
     * ({@code SER_GRID_SYNC} in common.cuh). The grid must not exceed {@link #maxCooperativeBlocks} for the
     * same block size and shared memory; a larger one is refused (never run to deadlock).
     *
     * <p>Default: refused with a {@link CudaException}, for a device that has no cooperative launches
     * ({@link #maxCooperativeBlocks} then says 0, so callers that ask first never get here).
     */
    default void launchCooperative(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        throw new CudaException(name() + " has no cooperative launches (" + kernel + "): use a per-step path");
    }

    /**
     * How many blocks of {@code kernel}, with {@code threadsPerBlock} threads and {@code sharedBytes} of
     * dynamic shared memory, can be resident on the whole device at once: the most a cooperative launch
     * may have. 0 when that configuration cannot run at all (too many registers for that many threads, shared
     * memory over {@link #maxDynamicSharedBytes}) or the device has no cooperative launches (the default).
     * On a GPU: cuOccupancyMaxActiveBlocksPerMultiprocessor times the multiprocessor count.
     */
    default int maxCooperativeBlocks(String kernel, int threadsPerBlock, int sharedBytes) { return 0; }

    /** Streaming multiprocessors (CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT); 1 by default and on the emulator. */
    default int multiprocessors() { return 1; }

    /**
     * The most dynamic shared memory one block may ask for: the device's opt-in limit (227 KiB on an H100/H200);
     * a launch over the default 48 KiB is allowed by the device itself (cuFuncSetAttribute). Default: 48 KiB.
     */
    default int maxDynamicSharedBytes() { return 48 * 1024; }

    /** Waits until everything issued so far has finished; rethrows an asynchronous error. */
    void synchronize();

    /** GEMMs on this device's stream. */
    Blas blas();

    @Override void close();
}
