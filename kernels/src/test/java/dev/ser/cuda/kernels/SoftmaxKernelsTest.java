package dev.ser.cuda.kernels;

import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** softmax.cu against CpuBackend.softmax / logSoftmax / softmaxGrad / logSoftmaxGrad over each axis. */
class SoftmaxKernelsTest {
    private static final CpuBackend CPU = CpuBackend.INSTANCE;

    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void softmaxLogSoftmaxAndGradients(TestDevices.Kind kind) {
        // The reference's double operations in its order; only exp and log may differ in the last ulp
        // (glibc vs Java): F64 1e-13, F32 1e-6 (one float rounding on top).
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                double tol = p == DType.F32 ? 1e-6 : 1e-13;
                for (int[] shape : new int[][]{{1}, {8}, {33, 8}, {3, 31, 5}, {2, 1000}, {5, 7, 33}})
                    for (int axis = 0; axis < shape.length; axis++) {
                        int outer = 1, inner = 1, n = shape[axis];
                        for (int i = 0; i < axis; i++) outer *= shape[i];
                        for (int i = axis + 1; i < shape.length; i++) inner *= shape[i];
                        Tensor x = r.uniform(p, -6, 6, shape), g = r.normal(p, shape);
                        long dx = s.put(x), dg = s.put(g), dy = s.output(p, x.numel()), dOut = s.output(p, x.numel());
                        String where = p + " " + java.util.Arrays.toString(shape) + " axis " + axis + r.tag();
                        for (boolean log : new boolean[]{false, true}) {
                            Tensor y = log ? CPU.logSoftmax(x, axis) : CPU.softmax(x, axis);
                            s.k.softmax(p, log, outer, n, inner, dx, dy);
                            Compare.close((log ? "logSoftmax " : "softmax ") + where, y.toDoubleArray(), s.get(dy, p, x.numel()), tol);
                            long yRef = s.put(y);
                            s.k.softmaxGrad(p, log, outer, n, inner, yRef, dg, dOut);
                            Tensor expected = log ? CPU.logSoftmaxGrad(y, g, axis) : CPU.softmaxGrad(y, g, axis);
                            Compare.close((log ? "logSoftmaxGrad " : "softmaxGrad ") + where, expected.toDoubleArray(),
                                    s.get(dOut, p, x.numel()), tol);
                        }
                    }
            }
        }
    }
}
