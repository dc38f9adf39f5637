package dev.ser.cuda.kernels;

import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.DType;

import java.util.Arrays;

/** Launches src/main/cuda/elementwise.cu. Sizes, offsets and strides in elements; addresses are device pointers. */
final class ElementwiseKernels {
    private final Launch launch;

    ElementwiseKernels(Launch launch) { this.launch = launch; }

    void fill(DType p, long n, double value, long out) {
        if (n == 0) return;
        launch.elementwise("fill", p, n, Launch.scalar(new KernelArgs().i64(n), p, value).ptr(out));
    }

    void cast(DType from, DType to, long n, long in, long out) {
        if (n == 0) return;
        if (from == to) {
            launch.device.copyOnDevice(in, out, n * from.bytes);
            return;
        }
        String kernel = from == DType.F32 ? "cast_f32_to_f64" : "cast_f64_to_f32";
        launch.run(kernel, launch.grid(n), new KernelArgs().i64(n).ptr(in).ptr(out));
    }

    void affine(DType p, long n, long x, double scale, double shift, long out) {
        if (n == 0) return;
        launch.elementwise("affine", p, n, new KernelArgs().i64(n).ptr(x).f64(scale).f64(shift).ptr(out));
    }

    void accumulate(DType p, long n, long src, long dst) {
        if (n == 0) return;
        launch.elementwise("accumulate", p, n, new KernelArgs().i64(n).ptr(src).ptr(dst));
    }

    void unary(DType p, Backend.UnaryOp op, long n, long x, long out) {
        if (n == 0) return;
        launch.elementwise("unary", p, n, new KernelArgs().i32(op.ordinal()).i64(n).ptr(x).ptr(out));
    }

    void unaryGrad(DType p, Backend.UnaryOp op, long n, long x, long y, long g, long out) {
        if (n == 0) return;
        launch.elementwise("unary_grad", p, n,
                new KernelArgs().i32(op.ordinal()).i64(n).ptr(x).ptr(y).ptr(g).ptr(out));
    }

    /** out (contiguous, outShape) = a op b, each read through its strides (0 = broadcast along that axis). */
    void binary(DType p, Backend.BinaryOp op, int[] outShape, long a, int[] aStrides, long b, int[] bStrides, long out) {
        long n = Layouts.numel(outShape);
        if (n == 0) return;
        int[] dense = Layouts.contiguous(outShape);
        if (Arrays.equals(aStrides, dense) && Arrays.equals(bStrides, dense)) {
            launch.elementwise("binary_contiguous", p, n,
                    new KernelArgs().i32(op.ordinal()).i64(n).ptr(a).ptr(b).ptr(out));
            return;
        }
        launch.elementwise("binary_strided", p, n, new KernelArgs().i32(op.ordinal()).i64(n)
                .struct(Layouts.binary(outShape, aStrides, bStrides), 4).ptr(a).ptr(b).ptr(out));
    }

    /** out[i] = in[inOffset + sum_k idx_k * inStrides_k], out contiguous of outShape. */
    void gather(DType p, int[] outShape, long in, long inOffset, int[] inStrides, long out) {
        long n = Layouts.numel(outShape);
        if (n == 0) return;
        launch.elementwise("gather", p, n, new KernelArgs().i64(n)
                .struct(Layouts.strided(outShape, inStrides), 4).ptr(in).i64(inOffset).ptr(out));
    }

    /** out[outOffset + sum_k idx_k * outStrides_k] = in[i], in contiguous of shape. */
    void scatter(DType p, int[] shape, long in, long out, long outOffset, int[] outStrides) {
        long n = Layouts.numel(shape);
        if (n == 0) return;
        launch.elementwise("scatter", p, n, new KernelArgs().i64(n)
                .struct(Layouts.strided(shape, outStrides), 4).ptr(in).ptr(out).i64(outOffset));
    }
}
