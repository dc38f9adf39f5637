package dev.ser.cuda.backend;

import dev.ser.cuda.device.CudaException;
import dev.ser.engine.backend.LstmAlgorithm;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link CudnnLstm} against a pretend cuDNN (kernels/src/test/stub/fake_cudnn.c, run by check-cudnn-on-stub.sh):
 * the stub refuses any argument not where cuDNN 9's headers put it and writes values that show where each buffer
 * went (y = x[..., 0] + 1 + weight_ih_l0[0, 0] at valid steps, h_n = h0 + 1, c_n = c0 + 2, dx = dy[..., 0],
 * dh0 = dh_n + 3, dc0 = dc_n + 4). Skipped unless SER_CUDNN_STUB=1: on a real GPU these are not LSTM values.
 */
class CudnnOnStubTest {
    @ParameterizedTest
    @EnumSource(DType.class)
    void everyBufferGoesWhereTheContractSays(DType dt) {
        Assumptions.assumeTrue("1".equals(System.getenv("SER_CUDNN_STUB")), "runs only against fake_cudnn.c (check-cudnn-on-stub.sh)");
        CudaBackend gpu = TestBackends.get("cuda");
        {
            LstmConfig config = new LstmConfig(3, 4, 2, true);
            int batch = 3, steps = 5, out = config.outputSize();
            int[] lengths = {5, 2, 4};
            SplittableRandom rng = new SplittableRandom(5);
            List<Tensor> weights = new ArrayList<>();
            for (int i = 0; i < config.numWeights(); i++) weights.add(Tensor.uniform(dt, rng, -0.5, 0.5, config.weightShape(i)).to(gpu));
            int[] state = {4, batch, 4};
            Tensor x = Tensor.randn(dt, rng, 1, batch, steps, 3), h0 = Tensor.randn(dt, rng, 1, state), c0 = Tensor.randn(dt, rng, 1, state);
            Tensor dy = Tensor.randn(dt, rng, 1, batch, steps, out), dhN = Tensor.randn(dt, rng, 1, state), dcN = Tensor.randn(dt, rng, 1, state);
            double w0 = weights.getFirst().toHost().toDoubleArray()[0];
            double tol = dt == DType.F32 ? 1e-6 : 0;

            for (boolean training : new boolean[]{true, false}) {
                LstmPass pass = gpu.lstm(config, LstmAlgorithm.CUDNN, weights, x.to(gpu), lengths, h0.to(gpu), c0.to(gpu), List.of(), training);
                double[] y = pass.y().toHost().toDoubleArray(), xs = x.toDoubleArray();
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < steps; t++)
                        for (int j = 0; j < out; j++)
                            assertEquals(t < lengths[b] ? xs[(b * steps + t) * 3] + 1 + w0 : 0, y[(b * steps + t) * out + j], tol + 1e-6 * Math.abs(w0),
                                    "y[" + b + ", " + t + ", " + j + "]");
                assertShifted(h0, pass.hN(), 1, tol);
                assertShifted(c0, pass.cN(), 2, tol);
                if (!training) continue;
                double[] nines = new double[x.numel()];
                java.util.Arrays.fill(nines, 9); // dx must be overwritten, padded steps included
                Tensor dx = Tensor.of(dt, nines, x.shape()).to(gpu), dh0 = gpu.zeros(dt, state), dc0 = gpu.zeros(dt, state);
                pass.backward().run(dy.to(gpu), dhN.to(gpu), dcN.to(gpu), dx, dh0, dc0, null);
                double[] dxs = dx.toHost().toDoubleArray(), dys = dy.toDoubleArray();
                for (int b = 0; b < batch; b++)
                    for (int t = 0; t < steps; t++)
                        for (int i = 0; i < 3; i++)
                            assertEquals(t < lengths[b] ? dys[(b * steps + t) * out] : 0, dxs[(b * steps + t) * 3 + i], tol, "dx[" + b + ", " + t + ", " + i + "]");
                assertShifted(dhN, dh0, 3, tol);
                assertShifted(dcN, dc0, 4, tol);
            }
            // With weight gradients, cudnnRNNBackwardWeights_v8 must accept its arguments; what fails next is our
            // accumulate kernel, which the pretend driver cannot run.
            LstmPass pass = gpu.lstm(config, LstmAlgorithm.CUDNN, weights, x.to(gpu), lengths, null, null, null, true);
            List<Tensor> grads = new ArrayList<>();
            for (Tensor w : weights) grads.add(gpu.zeros(dt, w.shape()));
            CudaException e = assertThrows(CudaException.class, () -> pass.backward().run(dy.to(gpu), null, null, null, null, null, grads));
            assertFalse(e.getMessage().toLowerCase().contains("cudnn"), e.getMessage());
        }
    }

    private static void assertShifted(Tensor from, Tensor to, double shift, double tol) {
        double[] a = from.toDoubleArray(), b = to.toHost().toDoubleArray();
        for (int i = 0; i < a.length; i++) assertEquals(a[i] + shift, b[i], tol * (1 + Math.abs(a[i])), "element " + i);
    }
}
