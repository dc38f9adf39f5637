package dev.ser.cuda.kernels;

import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** reduce.cu against CpuBackend.sum / max (both launch paths), and sumSquares; determinism run to run. */
class ReductionKernelsTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    /** [outer, n, inner]: inner > 1 (lanes path), inner == 1 short (lanes) and long (rows path, n >= 256). */
    private static final int[][] SHAPES = {{1, 1, 1}, {3, 31, 33}, {7, 33, 1}, {2, 1000, 1}, {5, 4099, 1}, {1, 257, 3}, {40, 5, 1}};

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void sumAndMaxOverTheMiddleAxis(TestDevices.Kind kind) {
        // Lanes path: the reference's sequential double sum, so exact. Rows path: a tree in double, so
        // the double sum differs by rounding order: F64 within 1e-12 of the largest partial (scaled by the
        // sum of |x|), F32 after its single rounding to float within 1e-6 relative. Max is exact.
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values())
                for (int[] sh : SHAPES) {
                    Tensor x = r.normal(p, sh);
                    long dx = s.put(x), out = s.output(p, sh[0] * sh[2]);
                    s.k.sum(p, sh[0], sh[1], sh[2], dx, out);
                    double[] expected = CPU.sum(x, 1, false).toDoubleArray(), got = s.get(out, p, sh[0] * sh[2]);
                    boolean tree = sh[2] == 1 && sh[1] >= ReductionKernels.ROW_PATH_MIN_N;
                    String what = "sum " + p + " " + java.util.Arrays.toString(sh) + r.tag();
                    if (!tree) Compare.exact(what, expected, got);
                    else Compare.close(what, expected, got, p == DType.F32 ? 1e-6 : 1e-12 * Math.sqrt(sh[1]));
                    s.k.max(p, sh[0], sh[1], sh[2], dx, out);
                    Compare.exact("max " + p + " " + java.util.Arrays.toString(sh) + r.tag(), CPU.max(x, 1).toDoubleArray(),
                            s.get(out, p, sh[0] * sh[2]));
                }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void maxPropagatesNaNAndOrdersSignedZeros(TestDevices.Kind kind) {
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                int n = 300; // rows path
                double[] v = new double[2 * n];
                java.util.Arrays.fill(v, -0.0);
                v[n + 1] = 0.0;
                v[7] = Double.NaN;
                long out = s.output(p, 2);
                s.k.max(p, 2, n, 1, s.put(p, v), out);
                double[] got = s.get(out, p, 2);
                assertEquals(Double.NaN, got[0], "NaN propagates as in Math.max");
                assertEquals(0.0, got[1], "+0.0 above -0.0 as in Math.max");
                assertEquals(0, Double.compare(0.0, got[1]), "+0.0, not -0.0");
            }
        }
    }

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void sumSquaresIsDeterministic(TestDevices.Kind kind) {
        // All terms positive, so no cancellation: the tree and the sequential double sum agree to 1e-13.
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values())
                for (int n : new int[]{1, 31, 33, 1000, 20_001}) {
                    Tensor x = r.normal(p, n);
                    double expected = 0;
                    for (double v : x.toDoubleArray()) expected += v * v;
                    long dx = s.put(x), out = s.output(DType.F64, 1);
                    s.k.sumSquares(p, n, dx, out);
                    double first = s.get(out, DType.F64, 1)[0];
                    Compare.close("sumSquares " + p + " n=" + n + r.tag(), new double[]{expected}, new double[]{first}, 1e-13);
                    s.k.sumSquares(p, n, dx, out);
                    assertArrayEquals(new double[]{first}, s.get(out, DType.F64, 1), 0, "the same bits on a second run");
                }
        }
    }
}
