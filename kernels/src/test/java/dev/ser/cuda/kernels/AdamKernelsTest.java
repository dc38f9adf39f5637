package dev.ser.cuda.kernels;

import dev.ser.engine.optim.Adam;
import dev.ser.engine.optim.AdamW;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;

/**
 * adam.cu against the engine's Adam and AdamW (updateF32 / updateF64) over several steps: the same
 * operations in the same order with -fmad=false, so the same bits in both dtypes.
 */
class AdamKernelsTest {
    @ParameterizedTest @MethodSource("dev.ser.cuda.kernels.TestDevices#devices")
    void adamAndAdamWMatchTheEngineExactly(TestDevices.Kind kind) {
        for (DType p : DType.values())
            for (boolean decoupled : new boolean[]{false, true})
                for (boolean amsgrad : new boolean[]{false, true})
                    for (double wd : new double[]{0, 0.01}) run(kind, p, decoupled, amsgrad, wd, 1001);
        run(kind, DType.F32, false, false, 0, 1);
        run(kind, DType.F64, true, true, 0.1, 33);
    }

    private static void run(TestDevices.Kind kind, DType p, boolean decoupled, boolean amsgrad, double wd, int n) {
        Random r = new Random();
        double lr = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
        Tensor param = r.normal(p, n);
        Adam opt = decoupled ? new AdamW(Map.of("w", param), lr, beta1, beta2, eps, wd, amsgrad)
                : new Adam(Map.of("w", param), lr, beta1, beta2, eps, wd, amsgrad);
        String where = (decoupled ? "AdamW " : "Adam ") + p + (amsgrad ? " amsgrad" : "") + " wd=" + wd + " n=" + n + r.tag();
        try (DeviceScope s = new DeviceScope(kind)) {
            long dp = s.put(param), m = s.put(p, new double[n]), v = s.put(p, new double[n]);
            long vmax = amsgrad ? s.put(p, new double[n]) : 0;
            for (int step = 1; step <= 4; step++) {
                Tensor g = r.normal(p, n);
                param.setGrad(g);
                long dg = s.put(g);
                opt.step();
                // The scalars as Adam.step computes them.
                double stepSize = lr / (1 - Math.pow(beta1, step)), bc2Sqrt = Math.sqrt(1 - Math.pow(beta2, step));
                double decay = decoupled ? 1 - lr * wd : 1, l2 = decoupled ? 0 : wd;
                s.k.adam(p, n, dp, dg, m, v, vmax, beta1, beta2, eps, decay, l2, stepSize, bc2Sqrt);
                Compare.exact("param after step " + step + ", " + where, param.toDoubleArray(), s.get(dp, p, n));
            }
            Map<String, Tensor> state = opt.stateTensors();
            Compare.exact("exp_avg " + where, state.get("optimizer.state.w.exp_avg").toDoubleArray(), s.get(m, p, n));
            Compare.exact("exp_avg_sq " + where, state.get("optimizer.state.w.exp_avg_sq").toDoubleArray(), s.get(v, p, n));
            if (amsgrad)
                Compare.exact("max_exp_avg_sq " + where, state.get("optimizer.state.w.max_exp_avg_sq").toDoubleArray(), s.get(vmax, p, n));
        }
    }
}
