package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Device;
import dev.ser.cuda.device.Dim3;
import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/**
 * How the wrappers launch on one device: the kernel name for a dtype, the 1-D geometry every
 * grid-stride kernel assumes (SER_BLOCK in common.cuh), and scalars in the kernel's dtype.
 */
final class Launch {
    /** Threads a block: SER_BLOCK in src/main/cuda/common.cuh (the block reductions are sized by it). */
    static final int BLOCK = 256;

    /**
     * At most this many blocks: the loops are grid-stride, so a capped grid is still correct, and 4096
     * blocks of 256 threads fill any GPU we target (132 SMs x 2048 threads on an H100/H200 is 1056 blocks).
     * The same on the emulator, so that it runs the GPU's geometry and every block reduction sums in the
     * GPU's order (a block without barriers costs the emulator little more than a loop over its threads).
     */
    static final int MAX_BLOCKS = 4096;

    final Device device;
    final int maxBlocks = MAX_BLOCKS;

    Launch(Device device) { this.device = device; }

    static String name(String kernel, DType p) { return kernel + (p == DType.F32 ? "_f32" : "_f64"); }

    /** Grid for a grid-stride loop over n items. */
    Dim3 grid(long n) { return Dim3.of(blocks(n)); }

    int blocks(long n) { return (int) Math.max(1, Math.min(maxBlocks, (n + BLOCK - 1) / BLOCK)); }

    /** A 1-D launch of SER_BLOCK threads a block. */
    void run(String kernel, Dim3 grid, KernelArgs args) { device.launch(kernel, grid, Dim3.of(BLOCK), 0, args); }

    /** The {@code _f32}/{@code _f64} kernel over n items, grid-stride. */
    void elementwise(String kernel, DType p, long n, KernelArgs args) { run(name(kernel, p), grid(n), args); }

    /** A scalar in the kernel's dtype: rounded to float for F32, as the Java references round their scalars. */
    static KernelArgs scalar(KernelArgs args, DType p, double v) {
        return p == DType.F32 ? args.f32((float) v) : args.f64(v);
    }
}
