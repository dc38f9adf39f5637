package dev.ser.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** clip_grad_norm_ on gradients whose norm is known by hand: |(3, 4)| = 5 and |(5, 12)| = 13. */
class GradClipTest {
    private static Tensor param(DType dtype, double[] grad) {
        Tensor p = Tensor.zeros(dtype, grad.length).requiresGrad(true);
        p.setGrad(Tensor.of(dtype, grad, grad.length));
        return p;
    }

    private static Map<String, Tensor> named() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("lstm.weight_ih_l0", param(DType.F64, new double[] {3, 4}));    // norm 5
        m.put("fc.weight", param(DType.F32, new double[] {12}));              // with 5: total 13
        m.put("fc.bias", Tensor.zeros(DType.F64, 2).requiresGrad(true));      // no grad: ignored
        return m;
    }

    @Test void clipsToMaxNormWithPyTorchsCoefficient() {
        Map<String, Tensor> p = named();
        double total = GradClip.clipGradNorm(p, 6.5);
        assertEquals(13.0, total, 0);
        double coef = 6.5 / (13 + 1e-6);
        assertArrayEquals(new double[] {3 * coef, 4 * coef}, p.get("lstm.weight_ih_l0").grad().toDoubleArray(), 1e-15);
        assertEquals((float) (12 * coef), p.get("fc.weight").grad().toFloatArray()[0], 1e-6);
        // The clipped norm is max_norm up to the 1e-6 guard.
        double after = Math.sqrt(Math.pow(3 * coef, 2) + Math.pow(4 * coef, 2) + Math.pow(p.get("fc.weight").grad().item(), 2));
        assertEquals(6.5, after, 1e-6);
    }

    @Test void leavesGradientsUntouchedBelowMaxNorm() {
        Map<String, Tensor> p = named();
        assertEquals(13.0, GradClip.clipGradNorm(p.values(), 100), 0);
        assertArrayEquals(new double[] {3, 4}, p.get("lstm.weight_ih_l0").grad().toDoubleArray(), 0);
        assertArrayEquals(new float[] {12}, p.get("fc.weight").grad().toFloatArray(), 0);
    }

    @Test void noGradientsGiveZero() {
        assertEquals(0.0, GradClip.clipGradNorm(List.of(Tensor.zeros(DType.F64, 3)), 1.0), 0);
    }

    @Test void nonFiniteNormNamesTheParameter() {
        Map<String, Tensor> p = named();
        p.get("fc.weight").grad().host().f[0] = Float.NaN;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(p, 1.0));
        assertTrue(e.getMessage().contains("'fc.weight'") && e.getMessage().contains("NaN"), e.getMessage());
        // The unnamed form falls back to Tensor.name() or the position.
        p.get("fc.weight").name("head");
        e = assertThrows(IllegalStateException.class, () -> GradClip.clipGradNorm(p.values(), 1.0));
        assertTrue(e.getMessage().contains("'head'"), e.getMessage());
    }

    @Test void nonFiniteNormWithoutErrorScalesAsPyTorch() {
        Map<String, Tensor> p = named();
        p.get("lstm.weight_ih_l0").grad().host().d[1] = Double.POSITIVE_INFINITY;
        double total = GradClip.clipGradNorm(p, 1.0, false);
        assertEquals(Double.POSITIVE_INFINITY, total);
        // clip_coef = 1 / inf = 0: finite entries become 0, the infinite one inf * 0 = NaN.
        assertEquals(0.0, p.get("lstm.weight_ih_l0").grad().toDoubleArray()[0]);
        assertTrue(Double.isNaN(p.get("lstm.weight_ih_l0").grad().toDoubleArray()[1]));
        assertEquals(0.0f, p.get("fc.weight").grad().toFloatArray()[0]);
    }
}
