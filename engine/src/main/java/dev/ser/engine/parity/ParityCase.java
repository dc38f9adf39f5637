package dev.ser.engine.parity;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a reference case (a safetensors file whose {@code __metadata__.case} describes the computation,
 * the format of ../shared/reference/torch) through the engine and compares every output, gradient and
 * post-step parameter it holds. Used by the parity tests and by {@code ser parity}, so a researcher can
 * check us against their framework with files of their own.
 */
public final class ParityCase {
    private ParityCase() {}

    /** The outcome of one case file. */
    public record Result(String module, List<Comparison> comparisons) {
        public double worstRelError() {
            double w = 0;
            for (Comparison c : comparisons) w = Double.isNaN(c.relError()) ? Double.NaN : Math.max(w, c.relError());
            return w;
        }

        public boolean within(double tolerance) {
            for (Comparison c : comparisons) if (!c.within(tolerance)) return false;
            return !comparisons.isEmpty();
        }
    }

    public static Result run(SafeTensors st) { return run(st, CpuBackend.INSTANCE); }

    /** The case computed on {@code backend} (the CUDA backend's parity with PyTorch, say); compared on the host. */
    public static Result run(SafeTensors st, Backend backend) {
        String caseJson = st.metadata().get("case");
        if (caseJson == null)
            throw new IllegalArgumentException("no __metadata__.case in this file: it is not a reference case (see ../shared/README.md for the format)");
        Map<String, Object> c = Json.parseObject(caseJson);
        String module = String.valueOf(c.get("module"));
        List<Comparison> out = new ArrayList<>();
        if (module.equals("LSTM")) LstmCase.run(st, c, backend, out);
        else if (module.equals("cross_entropy")) CrossEntropyCase.run(st, c, backend, out);
        else if (module.startsWith("LSTM -> last layer's h_n -> Linear -> cross_entropy")) ClassifierCase.run(st, c, backend, out);
        else throw new IllegalArgumentException("unknown case module '" + module + "'; this engine runs: LSTM, cross_entropy, "
                    + "\"LSTM -> last layer's h_n -> Linear -> cross_entropy(mean)\"");
        return new Result(module, out);
    }

    static int num(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("the case lacks a numeric '" + key + "'");
        return n.intValue();
    }

    static double real(Map<String, Object> c, String key) {
        Object v = c.get(key);
        if (!(v instanceof Number n)) throw new IllegalArgumentException("the case lacks a numeric '" + key + "'");
        return n.doubleValue();
    }

    static Tensor tensor(SafeTensors st, String name, boolean requiresGrad, Backend backend) {
        return Tensor.of(st.doubles(name), st.shape(name)).to(backend).requiresGrad(requiresGrad).name(name);
    }

    /** Copies the reference's initial parameters (named prefix + state_dict name) into ours, which are on the host. */
    static void loadParameters(SafeTensors st, String prefix, Map<String, Tensor> params) {
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            String name = prefix + p.getKey();
            double[] v = st.doubles(name);
            if (v.length != p.getValue().numel())
                throw new IllegalArgumentException(name + " has " + v.length + " elements, our parameter " + java.util.Arrays.toString(p.getValue().shape()));
            System.arraycopy(v, 0, p.getValue().host().d, 0, v.length);
        }
    }

    static void compare(List<Comparison> out, SafeTensors st, String refName, Tensor ours) {
        if (!st.has(refName)) return;
        out.add(Comparison.of(refName, ours == null ? new double[st.doubles(refName).length] : ours.toDoubleArray(), st.doubles(refName)));
    }
}
