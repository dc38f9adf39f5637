package dev.ser.cuda.kernels;

import dev.ser.engine.backend.Backend.BinaryOp;
import dev.ser.engine.backend.Backend.UnaryOp;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Shape;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;

/** elementwise.cu against CpuBackend, both dtypes, odd sizes and broadcasting patterns. */
class ElementwiseKernelsTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;
    private static final int[] SIZES = {1, 31, 33, 257, 1000, 4099};

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void fillCastAffineAccumulateAreExact(TestDevices.Kind kind) {
        // Exact: one rounding from double to the dtype, as the reference; -fmad=false keeps x*s + t two roundings.
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values())
                for (int n : SIZES) {
                    Tensor x = r.normal(p, n), y = r.normal(p, n);
                    long out = s.output(p, n);
                    s.k.fill(p, n, 0.1, out);
                    Compare.exact("fill " + p + " n=" + n, Tensor.full(p, 0.1, n).toDoubleArray(), s.get(out, p, n));
                    long dx = s.put(x);
                    s.k.affine(p, n, dx, 1.7, -0.3, out);
                    Compare.exact("affine " + p + " n=" + n + r.tag(), CPU.affine(x, 1.7, -0.3).toDoubleArray(), s.get(out, p, n));
                    s.k.affine(p, n, dx, 3, 0.25, dx); // in place
                    Compare.exact("affine in place " + p + r.tag(), CPU.affine(x, 3, 0.25).toDoubleArray(), s.get(dx, p, n));
                    long acc = s.put(y);
                    s.k.accumulate(p, n, dx, acc);
                    Compare.exact("accumulate " + p + r.tag(), CPU.binary(BinaryOp.ADD, y, CPU.affine(x, 3, 0.25)).toDoubleArray(),
                            s.get(acc, p, n));
                    DType q = p == DType.F32 ? DType.F64 : DType.F32;
                    long cast = s.output(q, n);
                    s.k.cast(p, q, n, acc, cast);
                    Compare.exact("cast " + p + "->" + q + r.tag(), CPU.cast(Tensor.of(p, s.get(acc, p, n), n), q).toDoubleArray(),
                            s.get(cast, q, n));
                    long same = s.output(p, n);
                    s.k.cast(p, p, n, acc, same);
                    Compare.exact("cast to itself", s.get(acc, p, n), s.get(same, p, n));
                }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void unaryAndItsGradient(TestDevices.Kind kind) {
        // Computed in double and rounded once, as CpuBackend: F64 differs from Java's Math only by libm's last ulp
        // (1e-13 relative allows a few), F32 by at most one float rounding of that (1e-5 as the brief asks; 1 ulp is 6e-8).
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                double tol = p == DType.F32 ? 1e-5 : 1e-13;
                for (int n : new int[]{1, 33, 1000}) {
                    for (UnaryOp op : UnaryOp.values()) {
                        boolean positive = op == UnaryOp.LOG || op == UnaryOp.SQRT;
                        Tensor x = positive ? r.uniform(p, 0.05, 5, n) : r.uniform(p, -8, 8, n);
                        Tensor g = r.normal(p, n);
                        Tensor y = CPU.unary(op, x);
                        long dx = s.put(x), dy = s.output(p, n), dg = s.put(g), dOut = s.output(p, n);
                        s.k.unary(p, op, n, dx, dy);
                        Compare.close(op + " " + p + " n=" + n + r.tag(), y.toDoubleArray(), s.get(dy, p, n), tol);
                        long yRef = s.put(y); // the gradient of the reference's own y: tests unaryGrad alone
                        s.k.unaryGrad(p, op, n, dx, yRef, dg, dOut);
                        // The same double expression as the reference, rounded once: exact.
                        Compare.exact(op + " grad " + p + " n=" + n + r.tag(), CPU.unaryGrad(op, x, y, g).toDoubleArray(),
                                s.get(dOut, p, n));
                    }
                }
            }
        }
    }

    /** Broadcasting patterns: same shape, scalar, row, column, both sides, rank 3 and 4 with size-1 axes. */
    private static final List<int[][]> BROADCASTS = List.of(
            new int[][]{{1000}, {1000}}, new int[][]{{33, 31}, {33, 31}}, new int[][]{{7, 33}, {1}}, new int[][]{{1}, {5, 3}},
            new int[][]{{7, 33}, {33}}, new int[][]{{7, 33}, {7, 1}}, new int[][]{{7, 1}, {1, 33}},
            new int[][]{{4, 1, 5}, {3, 1}}, new int[][]{{2, 3, 1, 5}, {3, 4, 1}}, new int[][]{{2, 1, 4, 1, 3, 1, 2, 1}, {1, 4, 5, 3, 1, 2, 1}});

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void binaryWithBroadcastingIsExact(TestDevices.Kind kind) {
        // + - * / of two floats: one rounding either way, so exact in both dtypes.
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values())
                for (int[][] shapes : BROADCASTS) {
                    Tensor a = r.uniform(p, 0.5, 2, shapes[0]), b = r.uniform(p, 0.5, 2, shapes[1]);
                    int[] out = Shape.broadcast(a.shape(), b.shape());
                    long da = s.put(a), db = s.put(b);
                    for (BinaryOp op : BinaryOp.values()) {
                        long dOut = s.output(p, Shape.numel(out));
                        s.k.binary(p, op, out, da, Shape.broadcastStrides(a.shape(), out), db, Shape.broadcastStrides(b.shape(), out), dOut);
                        Compare.exact(op + " " + p + " " + Arrays.toString(shapes[0]) + " with " + Arrays.toString(shapes[1]) + r.tag(),
                                CPU.binary(op, a, b).toDoubleArray(), s.get(dOut, p, Shape.numel(out)));
                    }
                }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void gatherServesExpandPermuteSlice(TestDevices.Kind kind) {
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                Tensor x = r.normal(p, 3, 5, 33);
                long dx = s.put(x);
                // permute (2, 0, 1): out axis i reads input axis perm[i]
                int[] perm = {2, 0, 1}, strides = Shape.strides(x.shape()), outShape = {33, 3, 5};
                int[] permStrides = {strides[2], strides[0], strides[1]};
                long out = s.output(p, x.numel());
                s.k.gather(p, outShape, dx, 0, permStrides, out);
                Compare.exact("permute " + p, CPU.permute(x, perm).toDoubleArray(), s.get(out, p, x.numel()));
                // slice axis 2 [4, 20): offset 4, same strides, shape [3, 5, 16]
                int[] sliced = {3, 5, 16};
                long out2 = s.output(p, Shape.numel(sliced));
                s.k.gather(p, sliced, dx, 4, strides, out2);
                Compare.exact("slice " + p, CPU.slice(x, 2, 4, 20).toDoubleArray(), s.get(out2, p, Shape.numel(sliced)));
                // expand [5, 1] to [4, 5, 7]
                Tensor small = r.normal(p, 5, 1);
                int[] big = {4, 5, 7};
                long out3 = s.output(p, Shape.numel(big));
                s.k.gather(p, big, s.put(small), 0, Shape.broadcastStrides(small.shape(), big), out3);
                Compare.exact("expand " + p, CPU.expand(small, big).toDoubleArray(), s.get(out3, p, Shape.numel(big)));
            }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void scatterServesUnsliceAndConcat(TestDevices.Kind kind) {
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                // unslice: g [3, 4, 7] into a zero [3, 9, 7] at axis 1 from 2
                Tensor g = r.normal(p, 3, 4, 7);
                int[] full = {3, 9, 7};
                long out = s.output(p, Shape.numel(full));
                s.k.fill(p, Shape.numel(full), 0, out);
                s.k.scatter(p, g.shape(), s.put(g), out, 2 * 7, Shape.strides(full));
                Compare.exact("unslice " + p, CPU.unslice(g, full, 1, 2).toDoubleArray(), s.get(out, p, Shape.numel(full)));
                // concat along the last axis: [2, 33] + [2, 1] + [2, 31]
                Tensor a = r.normal(p, 2, 33), b = r.normal(p, 2, 1), c = r.normal(p, 2, 31);
                int[] cat = {2, 65};
                long dOut = s.output(p, 130);
                int at = 0;
                for (Tensor part : List.of(a, b, c)) {
                    s.k.scatter(p, part.shape(), s.put(part), dOut, at, Shape.strides(cat));
                    at += part.dim(1);
                }
                Compare.exact("concat " + p, CPU.concat(List.of(a, b, c), 1).toDoubleArray(), s.get(dOut, p, 130));
            }
        }
    }
}
