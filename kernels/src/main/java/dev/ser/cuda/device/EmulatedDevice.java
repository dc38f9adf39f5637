package dev.ser.cuda.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * The CUDA kernels run on the CPU: the same {@code .cu} sources compiled by g++ against
 * {@code emu/cuda_emu.h} ({@link EmulatorLibrary}), with host memory standing in for device memory
 * ({@link HostMemory}: raw addresses, 256-byte aligned, checked) and a plain CPU GEMM for cuBLAS
 * ({@link EmulatedBlas}). Everything runs synchronously on the calling thread, in order, so
 * {@link #synchronize} has nothing to wait for. Launches from several threads are serialized by the
 * library (kernels use statics for __shared__).
 *
 * <p>What it checks that a GPU would not: a launch whose argument count differs from the kernel's
 * parameter count, frees of memory not allocated, copies past the end of a block, and (through
 * {@link #liveBlocks}) leaks. What it cannot show: timing, races that only a GPU's memory model
 * exposes, and warp behaviour beyond full-warp shuffles (see kernels/README.md).
 */
public final class EmulatedDevice implements Device {
    private final EmulatorLibrary library;
    private final HostMemory memory = new HostMemory();
    private final EmulatedBlas blas = new EmulatedBlas(memory);
    private boolean closed;

    private EmulatedDevice(EmulatorLibrary library) { this.library = library; }

    /** Loads the emulator library (once per JVM); throws {@link CudaException} saying what is missing. */
    public static Device open() { return new EmulatedDevice(EmulatorLibrary.get()); }

    @Override public String name() { return "emulated on the CPU (g++ build of the CUDA kernels)"; }

    @Override public long alloc(long bytes) { return memory.alloc(bytes); }

    @Override public void free(long address, long bytes) { memory.free(address, bytes); }

    @Override public void copyToDevice(MemorySegment src, long dst, long bytes) {
        if (bytes == 0) return;
        MemorySegment.copy(src, 0, memory.segment(dst, bytes, "copyToDevice"), 0, bytes);
    }

    @Override public void copyToHost(long src, MemorySegment dst, long bytes) {
        if (bytes == 0) return;
        MemorySegment.copy(memory.segment(src, bytes, "copyToHost"), 0, dst, 0, bytes);
    }

    @Override public void copyOnDevice(long src, long dst, long bytes) {
        if (bytes == 0) return;
        MemorySegment.copy(memory.segment(src, bytes, "copyOnDevice (source)"), 0,
                memory.segment(dst, bytes, "copyOnDevice (destination)"), 0, bytes);
    }

    @Override public void zero(long dst, long bytes) {
        if (bytes == 0) return;
        memory.segment(dst, bytes, "zero").fill((byte) 0);
    }

    @Override public void launch(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        checkArguments(kernel, args);
        try (Arena arena = Arena.ofConfined()) {
            library.launch(kernel, grid, block, sharedBytes, args.pointerArray(arena), arena);
        }
    }

    /**
     * Runs the kernel with the grid barrier enabled: every block's threads live at once as fibers (at most
     * {@link #maxCooperativeBlocks} blocks); dynamic shared memory is a buffer per block, 0xff-filled.
     */
    @Override public void launchCooperative(String kernel, Dim3 grid, Dim3 block, int sharedBytes, KernelArgs args) {
        checkArguments(kernel, args);
        try (Arena arena = Arena.ofConfined()) {
            library.launchCooperative(kernel, grid, block, sharedBytes, args.pointerArray(arena), arena);
        }
    }

    /** The library's limit (64 blocks) when the block and shared memory are within what CUDA allows, else 0. */
    @Override public int maxCooperativeBlocks(String kernel, int threadsPerBlock, int sharedBytes) {
        if (threadsPerBlock < 1 || threadsPerBlock > 1024 || sharedBytes < 0 || sharedBytes > maxDynamicSharedBytes()) return 0;
        return library.maxCooperativeBlocks();
    }

    /**
     * Four "multiprocessors": the persistent LSTM plans one block per multiprocessor, so its emulated tests
     * run grids of several blocks meeting at the grid barrier, as on a GPU, at a size the emulator keeps small.
     */
    @Override public int multiprocessors() { return EMULATED_MULTIPROCESSORS; }

    static final int EMULATED_MULTIPROCESSORS = 4;

    /** An H100/H200's opt-in limit (227 KiB), so that plans made here are plans a GPU could run. */
    @Override public int maxDynamicSharedBytes() { return EMULATED_SHARED_BYTES; }

    /** cudaDevAttrMaxSharedMemoryPerBlockOptin of sm_90: 227 KiB. */
    static final int EMULATED_SHARED_BYTES = 227 * 1024;

    @Override public void synchronize() {}

    @Override public Blas blas() { return blas; }

    private void checkArguments(String kernel, KernelArgs args) {
        int expected = library.parameters(kernel);
        if (expected >= 0 && expected != args.size())
            throw new CudaException("launch of " + kernel + " with " + args.size() + " arguments; the kernel takes " + expected
                    + ": the Java wrapper and the .cu signature disagree");
    }

    /** Bytes allocated and not yet freed: tests assert it returns to where it was. */
    public long liveBytes() { return memory.liveBytes(); }

    public int liveBlocks() { return memory.liveBlocks(); }

    /** Every kernel in the emulated library, sorted by name (the registry that emu_launch looks names up in). */
    public List<String> kernelNames() { return library.kernelNames(); }

    /** Frees whatever is still allocated. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        memory.freeAll();
    }
}
