package dev.ser.engine.check;

import dev.ser.engine.autograd.GradMode;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Checks autograd's gradients against central differences, in float64, as DL4J's GradientCheckUtil does:
 * for every element x of every input a numeric derivative, and the relative error
 * |analytic - numeric| / max(|analytic|, |numeric|) must stay below {@code maxRelError}, except where the
 * absolute error is below {@code minAbsError} (both values near zero: the relative error of two tiny
 * numbers measures rounding, not a wrong derivative).
 *
 * <p>The numeric derivative is the fourth-order central difference
 * (-L(x+2h) + 8 L(x+h) - 8 L(x-h) + L(x-2h)) / (12 h) with h = 1e-4. Why not the two-point
 * (L(x+h) - L(x-h)) / 2h with h = 1e-6: its rounding error, ~1e-16 |L| / h, is ~1e-9 for a loss of
 * order ten, which is a relative error of 1e-5 on a gradient element of 1e-4: a correct gradient fails
 * a 1e-6 bar. The four-point stencil allows h = 1e-4 (rounding ~1e-11) with truncation O(h^4) ~ 1e-16.
 */
public final class GradientCheck {
    private GradientCheck() {}

    public record Options(double eps, double maxRelError, double minAbsError) {
        public static final Options DEFAULT = new Options(1e-4, 1e-6, 1e-10);
    }

    /** One compared element. */
    public record Element(String tensor, int index, double analytic, double numeric, double absError, double relError) {
        @Override public String toString() {
            return String.format("%s[%d]: analytic %.12e, numeric %.12e, abs error %.3e, rel error %.3e",
                    tensor, index, analytic, numeric, absError, relError);
        }
    }

    /** The outcome: the worst element overall and per tensor, and how many elements failed. */
    public record Report(boolean passed, int checked, int failures, Element worst, Map<String, Element> worstPerTensor, Options options) {
        @Override public String toString() {
            StringBuilder sb = new StringBuilder();
            sb.append(passed ? "PASSED" : "FAILED").append(": ").append(checked).append(" elements, ").append(failures)
                    .append(" over max rel error ").append(options.maxRelError()).append(" (abs floor ").append(options.minAbsError()).append(")\n");
            if (worst != null) sb.append("  worst: ").append(worst).append('\n');
            for (Element e : worstPerTensor.values()) sb.append("  ").append(e).append('\n');
            return sb.toString();
        }
    }

    public static Report check(Supplier<Tensor> loss, Map<String, Tensor> inputs) {
        return check(loss, inputs, Options.DEFAULT);
    }

    /**
     * @param loss   recomputes the scalar loss from the current values of {@code inputs}; must be
     *               deterministic (reseed any dropout inside it)
     * @param inputs F64 leaf tensors with requiresGrad, by name (the names appear in the report)
     */
    public static Report check(Supplier<Tensor> loss, Map<String, Tensor> inputs, Options options) {
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() != DType.F64)
                throw new IllegalArgumentException("gradient checks run in float64; input '" + e.getKey() + "' is " + t.dtype());
            if (!t.requiresGrad() || !t.isLeaf())
                throw new IllegalArgumentException("input '" + e.getKey() + "' must be a leaf with requiresGrad(true)");
            t.zeroGrad();
        }
        Tensor l = loss.get();
        if (l.numel() != 1) throw new IllegalArgumentException("the loss must be a scalar, got " + java.util.Arrays.toString(l.shape()));
        l.backward();
        Map<String, double[]> analytic = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
            Tensor g = e.getValue().grad();
            analytic.put(e.getKey(), g == null ? new double[e.getValue().numel()] : g.toDoubleArray());
        }
        int checked = 0, failures = 0;
        Element worst = null;
        Map<String, Element> perTensor = new LinkedHashMap<>();
        try (GradMode ignored = GradMode.off()) {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                Values h = new Values(e.getValue());
                double[] a = analytic.get(e.getKey());
                Element tensorWorst = null;
                for (int i = 0; i < h.d.length; i++) {
                    double saved = h.d[i];
                    double eps = options.eps();
                    double plus1 = lossAt(loss, h, i, saved + eps), minus1 = lossAt(loss, h, i, saved - eps);
                    double plus2 = lossAt(loss, h, i, saved + 2 * eps), minus2 = lossAt(loss, h, i, saved - 2 * eps);
                    h.set(i, saved);
                    double numeric = (-plus2 + 8 * plus1 - 8 * minus1 + minus2) / (12 * eps);
                    double abs = Math.abs(a[i] - numeric);
                    double scale = Math.max(Math.abs(a[i]), Math.abs(numeric));
                    double rel = scale == 0 ? 0 : abs / scale;
                    if (Double.isNaN(a[i]) || Double.isNaN(numeric)) rel = Double.POSITIVE_INFINITY;
                    Element el = new Element(e.getKey(), i, a[i], numeric, abs, rel);
                    checked++;
                    if (rel > options.maxRelError() && !(abs < options.minAbsError())) failures++; // NaN fails too
                    if (tensorWorst == null || rank(el, options) > rank(tensorWorst, options)) tensorWorst = el;
                }
                if (tensorWorst != null) {
                    perTensor.put(e.getKey(), tensorWorst);
                    if (worst == null || rank(tensorWorst, options) > rank(worst, options)) worst = tensorWorst;
                }
            }
        }
        return new Report(failures == 0, checked, failures, worst, perTensor, options);
    }

    /** Orders elements for the report: those that count (above the absolute floor) by relative error, then the rest. */
    private static double rank(Element e, Options o) {
        return e.absError() < o.minAbsError() ? e.absError() / o.minAbsError() * 1e-30 : e.relError();
    }

    private static double lossAt(Supplier<Tensor> loss, Values data, int i, double value) {
        data.set(i, value);
        return loss.get().item();
    }

    /**
     * An input's values as the check perturbs them. A host tensor is changed in place; a tensor on a
     * device (a GPU gradient check) comes to the host, takes the value and goes back, in place
     * (Tensor.moveTo), so the loss function sees the same Tensor object. Inputs are small, so copying a
     * whole device tensor per perturbation is cheap.
     */
    private static final class Values {
        final Tensor tensor;
        final double[] d;

        Values(Tensor tensor) {
            this.tensor = tensor;
            this.d = tensor.isOnHost() ? tensor.host().d : tensor.toDoubleArray();
        }

        void set(int i, double value) {
            d[i] = value;
            if (tensor.isOnHost()) return;
            Backend home = tensor.backend();
            tensor.moveTo(CpuBackend.INSTANCE);
            System.arraycopy(d, 0, tensor.host().d, 0, d.length);
            tensor.moveTo(home);
        }
    }

    /** Convenience: every named tensor of a list, named "name" or "input[i]". */
    public static Map<String, Tensor> named(List<Tensor> tensors) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < tensors.size(); i++) {
            String n = tensors.get(i).name() != null && !seen.contains(tensors.get(i).name()) ? tensors.get(i).name() : "input[" + i + "]";
            seen.add(n);
            m.put(n, tensors.get(i));
        }
        return m;
    }
}
