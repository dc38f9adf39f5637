package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Dim3;
import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/**
 * Launches src/main/cuda/reduce.cu: sum and max over the middle axis of [outer, n, inner] (out has
 * outer * inner elements), and the sum of squares for gradient clipping. Deterministic: the geometry,
 * and so the order of every sum, depends on the sizes only.
 */
final class ReductionKernels {
    /** From this length on, an inner == 1 reduction takes a block per row rather than a thread per row. */
    static final int ROW_PATH_MIN_N = 256;

    /** Blocks of the first level of sumSquares (so at most this many partials for the second). */
    static final int SUM_SQUARES_BLOCKS = 1024;

    private final Launch launch;

    ReductionKernels(Launch launch) { this.launch = launch; }

    void sum(DType p, int outer, int n, int inner, long in, long out) { reduce("sum", p, outer, n, inner, in, out); }

    void max(DType p, int outer, int n, int inner, long in, long out) { reduce("max", p, outer, n, inner, in, out); }

    private void reduce(String op, DType p, int outer, int n, int inner, long in, long out) {
        long lanes = (long) outer * inner;
        if (lanes == 0) return;
        if (inner == 1 && n >= ROW_PATH_MIN_N) {
            launch.run(Launch.name(op + "_rows", p), Dim3.of(Math.min(outer, launch.maxBlocks)), new KernelArgs().i32(outer).i32(n).ptr(in).ptr(out));
        } else {
            launch.elementwise(op + "_lanes", p, lanes, new KernelArgs().i32(outer).i32(n).i32(inner).ptr(in).ptr(out));
        }
    }

    /** sum_i x_i^2 in double, written as one double at outF64 (two launches, a scratch of partials). */
    void sumSquares(DType p, long n, long x, long outF64) {
        int blocks = Math.min(SUM_SQUARES_BLOCKS, launch.blocks(n));
        long scratchBytes = 8L * blocks;
        long partials = launch.device.alloc(scratchBytes);
        try {
            launch.run(Launch.name("sum_squares_partial", p), Dim3.of(blocks), new KernelArgs().i64(n).ptr(x).ptr(partials));
            launch.run("sum_squares_finish", Dim3.of(1), new KernelArgs().i32(blocks).ptr(partials).ptr(outF64));
        } finally {
            launch.device.free(partials, scratchBytes); // in stream order: the launches above have it first
        }
    }
}
