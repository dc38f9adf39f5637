package dev.ser.engine.nn;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import dev.ser.engine.parity.Comparison;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The fused LSTM against the reference built from primitive ops, on fresh random inputs, dropout included. */
class LstmImplementationsAgreeTest {
    private record Result(double[] y, double[] hN, double[] cN, double[] dx, double[] dh0, Map<String, double[]> grads) {}

    private static Result run(LSTM.Impl impl, DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        LSTM lstm = new LSTM(5, 7, 3, true, 0.3, dtype, new SplittableRandom(42)).impl(impl);
        lstm.seedDropout(9);
        int[] lengths = {6, 3, 1, 5};
        Tensor x = Tensor.randn(dtype, rng, 1, 4, 6, 5).requiresGrad(true);
        Tensor h0 = Tensor.randn(dtype, rng, 0.5, 6, 4, 7).requiresGrad(true);
        Tensor c0 = Tensor.randn(dtype, rng, 0.5, 6, 4, 7);
        LSTM.Output out = lstm.forward(x, lengths, h0, c0);
        Tensor ry = Tensor.randn(dtype, rng, 1, out.y().shape()), rh = Tensor.randn(dtype, rng, 1, out.hN().shape());
        out.y().mul(ry).sum().add(out.hN().mul(rh).sum()).add(out.cN().sum()).backward();
        Map<String, double[]> grads = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, Tensor> p : lstm.namedParameters().entrySet()) grads.put(p.getKey(), p.getValue().grad().toDoubleArray());
        return new Result(out.y().toDoubleArray(), out.hN().toDoubleArray(), out.cN().toDoubleArray(),
                x.grad().toDoubleArray(), h0.grad().toDoubleArray(), grads);
    }

    private static double worst(Result a, Result b, StringBuilder log) {
        double w = 0;
        w = Math.max(w, log(log, "y", rel(a.y, b.y)));
        w = Math.max(w, log(log, "h_n", rel(a.hN, b.hN)));
        w = Math.max(w, log(log, "c_n", rel(a.cN, b.cN)));
        w = Math.max(w, log(log, "dx", rel(a.dx, b.dx)));
        w = Math.max(w, log(log, "dh0", rel(a.dh0, b.dh0)));
        for (String k : a.grads.keySet()) w = Math.max(w, log(log, "d" + k, rel(a.grads.get(k), b.grads.get(k))));
        return w;
    }

    private static double rel(double[] ours, double[] ref) { return Comparison.of("", ours, ref).relError(); }

    private static double log(StringBuilder sb, String name, double rel) {
        sb.append(String.format("  %-24s %.3e%n", name, rel));
        return rel;
    }

    @Test void fusedEqualsReferenceInFloat64() {
        StringBuilder log = new StringBuilder("fused vs reference, F64:\n");
        double w = worst(run(LSTM.Impl.FUSED, DType.F64, 1), run(LSTM.Impl.REFERENCE, DType.F64, 1), log);
        System.out.print(log);
        assertTrue(w <= 1e-12, log.toString());
    }

    @Test void float32FusedTracksFloat64() {
        StringBuilder log = new StringBuilder("fused F32 vs fused F64:\n");
        double w = worst(run(LSTM.Impl.FUSED, DType.F32, 2), run(LSTM.Impl.FUSED, DType.F64, 2), log);
        System.out.print(log);
        assertTrue(w <= 1e-5, log.toString());
    }
}
