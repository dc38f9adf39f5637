package dev.ser.cuda.kernels;

import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** cross_entropy.cu against CrossEntropyCpu (CpuBackend.softmaxCrossEntropy): weights or none, smoothing or none. */
class CrossEntropyKernelsTest {
    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void lossAndGradientAsPyTorch(TestDevices.Kind kind) {
        // Per row the reference's double operations; the loss sum over rows is a tree (deterministic) instead
        // of a running sum, and exp/log may differ in the last ulp: F64 1e-12, F32 1e-6.
        Random r = new Random();
        try (DeviceScope s = new DeviceScope(kind)) {
            for (DType p : DType.values()) {
                double tol = p == DType.F32 ? 1e-6 : 1e-12;
                for (int[] nc : new int[][]{{1, 1}, {1, 8}, {31, 8}, {33, 2}, {1000, 8}, {300, 33}})
                    for (boolean weighted : new boolean[]{false, true})
                        for (double eps : new double[]{0, 0.1, 1}) {
                            int n = nc[0], c = nc[1];
                            Tensor z = r.uniform(p, -5, 5, n, c);
                            int[] targets = r.ints(n, 0, c);
                            Tensor w = weighted ? r.uniform(p, 0.2, 3, c) : null;
                            Tensor[] expected = CpuBackend.INSTANCE.softmaxCrossEntropy(z, targets, w, eps);
                            long loss = s.output(p, 1), grad = s.output(p, (long) n * c);
                            s.k.softmaxCrossEntropy(p, n, c, s.put(z), s.putInts(targets), weighted ? s.put(w) : 0, eps, loss, grad);
                            String where = p + " N=" + n + " C=" + c + (weighted ? " weighted" : "") + " eps=" + eps + r.tag();
                            Compare.close("loss " + where, expected[0].toDoubleArray(), s.get(loss, p, 1), tol);
                            Compare.close("grad " + where, expected[1].toDoubleArray(), s.get(grad, p, n * c), tol);
                        }
            }
        }
    }
}
