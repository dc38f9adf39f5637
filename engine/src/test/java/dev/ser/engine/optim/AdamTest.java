package dev.ser.engine.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Adam and AdamW against {@link Reference}, a float64 transcription of the algorithm box in PyTorch's
 * documentation (bias-corrected m-hat and v-hat, then lr * m_hat / (sqrt(v_hat) + eps)). The optimizer
 * computes the same quantities grouped as PyTorch's code does, so the two differ by rounding only:
 * updates are about lr in size and params about 1, hence an absolute tolerance of 1e-12 is a few hundred
 * ulps of slack. F32 is checked against F64 at 1e-5 (float has 24 bits; five steps of lr 0.01 and
 * parameters of size ~1 accumulate a few 1e-7 of error).
 */
class AdamTest {
    private static final int[][] SHAPES = {{3, 4}, {5}, {2, 2, 3}};
    private static final int STEPS = 6;

    /** The documented algorithm, one parameter at a time, in plain double arithmetic. */
    static final class Reference {
        final double lr, beta1, beta2, eps, weightDecay;
        final boolean decoupled, amsgrad;
        final Map<String, double[]> m = new LinkedHashMap<>(), v = new LinkedHashMap<>(), vMax = new LinkedHashMap<>();
        final Map<String, Integer> t = new LinkedHashMap<>();

        Reference(double lr, double beta1, double beta2, double eps, double weightDecay, boolean decoupled, boolean amsgrad) {
            this.lr = lr; this.beta1 = beta1; this.beta2 = beta2; this.eps = eps;
            this.weightDecay = weightDecay; this.decoupled = decoupled; this.amsgrad = amsgrad;
        }

        void step(String name, double[] theta, double[] grad) {
            int n = theta.length;
            int step = t.merge(name, 1, Integer::sum);
            double[] mt = m.computeIfAbsent(name, k -> new double[n]);
            double[] vt = v.computeIfAbsent(name, k -> new double[n]);
            double[] vm = vMax.computeIfAbsent(name, k -> new double[n]);
            for (int i = 0; i < n; i++) {
                double g = grad[i];
                if (decoupled) theta[i] -= lr * weightDecay * theta[i];
                else g += weightDecay * theta[i];
                mt[i] = beta1 * mt[i] + (1 - beta1) * g;
                vt[i] = beta2 * vt[i] + (1 - beta2) * g * g;
                double mHat = mt[i] / (1 - Math.pow(beta1, step));
                // amsgrad: PyTorch's code keeps the max of the raw second moment and divides it by the
                // current bias correction (the documentation's box takes the max of v_hat instead).
                double second = vt[i];
                if (amsgrad) second = vm[i] = Math.max(vm[i], vt[i]);
                double vHat = second / (1 - Math.pow(beta2, step));
                theta[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
            }
        }
    }

    private static Map<String, Tensor> params(DType dtype, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (int i = 0; i < SHAPES.length; i++) {
            Tensor t = Tensor.randn(DType.F64, rng, 1.0, SHAPES[i]);
            out.put("layer" + i + ".weight", Tensor.of(dtype, roundedToFloat(t.toDoubleArray()), SHAPES[i]).requiresGrad(true));
        }
        return out;
    }

    /** Values representable in float, so F32 and F64 runs start from the very same numbers. */
    private static double[] roundedToFloat(double[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) out[i] = (float) a[i];
        return out;
    }

    /** Gradients of varied scale for step {@code k}; "layer1" gets none on odd steps (it must be skipped). */
    private static Map<String, double[]> grads(Map<String, Tensor> params, int k) {
        SplittableRandom rng = new SplittableRandom(1000 + k);
        Map<String, double[]> out = new LinkedHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            double scale = Math.pow(10, i++ - 1);
            double[] g = roundedToFloat(Tensor.randn(DType.F64, rng, scale, e.getValue().shape()).toDoubleArray());
            if (!(e.getKey().startsWith("layer1") && k % 2 == 1)) out.put(e.getKey(), g);
        }
        return out;
    }

    private static void setGrads(Map<String, Tensor> params, Map<String, double[]> grads) {
        for (Map.Entry<String, Tensor> e : params.entrySet()) {
            Tensor p = e.getValue();
            double[] g = grads.get(e.getKey());
            p.setGrad(g == null ? null : Tensor.of(p.dtype(), g, p.shape()));
        }
    }

    /** Runs {@code opt} and the reference side by side and returns the worst absolute difference. */
    private static double worstVsReference(Map<String, Tensor> params, Optimizer opt, Reference ref) {
        Map<String, double[]> theta = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : params.entrySet()) theta.put(e.getKey(), e.getValue().toDoubleArray());
        double worst = 0;
        String where = "";
        for (int k = 0; k < STEPS; k++) {
            Map<String, double[]> g = grads(params, k);
            setGrads(params, g);
            opt.step();
            for (Map.Entry<String, double[]> e : g.entrySet()) ref.step(e.getKey(), theta.get(e.getKey()), e.getValue());
            for (Map.Entry<String, Tensor> e : params.entrySet()) {
                double[] got = e.getValue().toDoubleArray(), want = theta.get(e.getKey());
                for (int i = 0; i < got.length; i++) {
                    double d = Math.abs(got[i] - want[i]);
                    if (d > worst) { worst = d; where = "step " + (k + 1) + " " + e.getKey() + "[" + i + "]"; }
                }
            }
        }
        System.out.printf("%s: worst |optimizer - reference| = %.3e at %s%n", opt.type(), worst, where);
        return worst;
    }

    @Test void adamMatchesReference() {
        Map<String, Tensor> p = params(DType.F64, 1);
        double worst = worstVsReference(p, new Adam(p, 0.01), new Reference(0.01, 0.9, 0.999, 1e-8, 0, false, false));
        assertTrue(worst < 1e-12, "worst " + worst);
    }

    @Test void adamL2WeightDecayMatchesReference() {
        Map<String, Tensor> p = params(DType.F64, 2);
        Adam adam = new Adam(p, 0.003, 0.8, 0.99, 1e-6, 0.1, false);
        double worst = worstVsReference(p, adam, new Reference(0.003, 0.8, 0.99, 1e-6, 0.1, false, false));
        assertTrue(worst < 1e-12, "worst " + worst);
    }

    @Test void adamwDecoupledWeightDecayMatchesReference() {
        Map<String, Tensor> p = params(DType.F64, 3);
        double worst = worstVsReference(p, new AdamW(p, 0.01), new Reference(0.01, 0.9, 0.999, 1e-8, 0.01, true, false));
        assertTrue(worst < 1e-12, "worst " + worst);
    }

    @Test void amsgradMatchesReference() {
        Map<String, Tensor> p = params(DType.F64, 4);
        double worst = worstVsReference(p, new Adam(p, 0.02, 0.9, 0.999, 1e-8, 0.05, true),
                new Reference(0.02, 0.9, 0.999, 1e-8, 0.05, false, true));
        assertTrue(worst < 1e-12, "Adam amsgrad worst " + worst);
        p = params(DType.F64, 5);
        worst = worstVsReference(p, new AdamW(p, 0.02, 0.9, 0.999, 1e-8, 0.05, true),
                new Reference(0.02, 0.9, 0.999, 1e-8, 0.05, true, true));
        assertTrue(worst < 1e-12, "AdamW amsgrad worst " + worst);
    }

    @Test void parametersWithoutGradAreSkippedAndCountTheirOwnSteps() {
        Map<String, Tensor> p = params(DType.F64, 6);
        Adam adam = new Adam(p, 0.01);
        double[] frozen = p.get("layer2.weight").toDoubleArray();
        p.get("layer2.weight").requiresGrad(false);
        for (int k = 0; k < 4; k++) {
            Map<String, double[]> g = grads(p, k);
            g.remove("layer2.weight");
            setGrads(p, g);
            adam.step();
        }
        assertEquals(4, adam.step("layer0.weight"));
        assertEquals(2, adam.step("layer1.weight")); // gradients on steps 0 and 2 only
        assertEquals(0, adam.step("layer2.weight"));
        assertEquals(0, Math.abs(p.get("layer2.weight").toDoubleArray()[0] - frozen[0]));
        assertTrue(adam.stateTensors().keySet().stream().noneMatch(k -> k.contains("layer2")));
    }

    @Test void float32AgreesWithFloat64() {
        for (boolean decoupled : new boolean[] {false, true}) {
            Map<String, Tensor> p32 = params(DType.F32, 7), p64 = params(DType.F64, 7);
            Optimizer o32 = decoupled ? new AdamW(p32, 0.01, 0.9, 0.999, 1e-8, 0.1, true) : new Adam(p32, 0.01, 0.9, 0.999, 1e-8, 0.1, false);
            Optimizer o64 = decoupled ? new AdamW(p64, 0.01, 0.9, 0.999, 1e-8, 0.1, true) : new Adam(p64, 0.01, 0.9, 0.999, 1e-8, 0.1, false);
            for (int k = 0; k < STEPS; k++) {
                Map<String, double[]> g = grads(p64, k);
                setGrads(p32, g);
                setGrads(p64, g);
                o32.step();
                o64.step();
            }
            double worst = 0;
            for (String name : p64.keySet()) {
                double[] a = p32.get(name).toDoubleArray(), b = p64.get(name).toDoubleArray();
                for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
            }
            System.out.printf("%s F32 vs F64: worst |difference| = %.3e%n", o32.type(), worst);
            assertTrue(worst < 1e-5, "worst " + worst);
            assertTrue(worst > 0, "F32 should differ from F64 by rounding; identical results suggest F32 ran in double");
        }
    }

    @Test void zeroGradDropsGradientsAndSetLrApplies() {
        Map<String, Tensor> p = params(DType.F64, 8);
        Adam adam = new Adam(p, 0.01);
        setGrads(p, grads(p, 0));
        adam.zeroGrad();
        assertTrue(p.values().stream().allMatch(t -> t.grad() == null));
        adam.setLr(0.5);
        assertEquals(0.5, adam.lr());
        assertThrows(IllegalArgumentException.class, () -> adam.setLr(Double.NaN));
    }

    @Test void rejectsInvalidConfiguration() {
        Map<String, Tensor> p = params(DType.F64, 9);
        assertThrows(IllegalArgumentException.class, () -> new Adam(Map.of(), 0.01));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, -1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(p, 0.01, 1.0, 0.999, 1e-8, 0, false));
        Map<String, Tensor> twice = new LinkedHashMap<>(p);
        twice.put("alias", p.get("layer0.weight"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam(twice, 0.01));
        assertTrue(e.getMessage().contains("alias"), e.getMessage());
    }
}
