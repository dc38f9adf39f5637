package dev.ser.engine.nn;

import dev.ser.engine.check.GradientCheck;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The convolution against the formula written as loops; the front end's gradients by central differences. */
class Conv1dTest {
    /** y[b, t, o] = bias[o] + sum_{j, c} w[o, c, j] x[b, t + j - k/2, c], x = 0 outside the sequence. */
    private static double[] direct(double[] x, int b, int t, int in, double[] w, double[] bias, int out, int k) {
        double[] y = new double[b * t * out];
        for (int n = 0; n < b; n++)
            for (int s = 0; s < t; s++)
                for (int o = 0; o < out; o++) {
                    double acc = bias[o];
                    for (int j = 0; j < k; j++) {
                        int src = s + j - k / 2;
                        if (src < 0 || src >= t) continue;
                        for (int c = 0; c < in; c++) acc += w[(o * in + c) * k + j] * x[(n * t + src) * in + c];
                    }
                    y[(n * t + s) * out + o] = acc;
                }
        return y;
    }

    @Test void matchesTheFormulaForEveryKernelSize() {
        for (int k : new int[]{1, 3, 5}) {
            SplittableRandom rng = new SplittableRandom(k);
            Conv1d conv = new Conv1d(4, 6, k, DType.F64, rng);
            Tensor x = Tensor.randn(DType.F64, rng, 1, 2, 7, 4);
            double[] expected = direct(x.toDoubleArray(), 2, 7, 4, conv.weight().toDoubleArray(), conv.bias().toDoubleArray(), 6, k);
            assertArrayEquals(expected, conv.forward(x).toDoubleArray(), 1e-13, "kernel " + k);
            assertArrayEquals(new int[]{6, 4, k}, conv.weight().shape()); // PyTorch's layout
        }
        assertThrows(IllegalArgumentException.class, () -> new Conv1d(4, 6, 4, DType.F64, new SplittableRandom(1)));
    }

    @Test void frontEndGradientsWithPoolingAndRaggedLengths() {
        SplittableRandom rng = new SplittableRandom(9);
        ConvFrontEnd front = new ConvFrontEnd(3, List.of(5, 4), 3, 2, DType.F64, new SplittableRandom(4));
        int[] lengths = {7, 4, 1};
        Tensor x = Tensor.randn(DType.F64, rng, 1, 3, 7, 3).requiresGrad(true).name("x");
        Tensor r = Tensor.randn(DType.F64, rng, 1, 3, 2, 4); // 7 -> 4 -> 2 frames
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        inputs.put("x", x);
        inputs.putAll(front.namedParameters());
        GradientCheck.Report report = GradientCheck.check(() -> front.forward(x, lengths).y().mul(r).sum(), inputs);
        assertTrue(report.passed(), report.toString());
        ConvFrontEnd.Output o = front.forward(x, lengths);
        assertArrayEquals(new int[]{2, 1, 1}, o.lengths());
        assertEquals(2, front.outputLength(7));
        assertEquals(List.of("0.weight", "0.bias", "1.weight", "1.bias"), List.copyOf(front.namedParameters().keySet()));
    }

    @Test void aClassifierWithConvolutionsRecordsThemAndOneWithoutIsUnchanged() {
        SequenceClassifier.Config plain = new SequenceClassifier.Config(6, 4, 1, true, 0, Pooling.Kind.MEAN, List.of(), 3);
        SequenceClassifier.Config conv = plain.withConv(List.of(8), 3, 2);
        assertEquals(conv, SequenceClassifier.Config.fromJson(conv.toJson()));
        assertEquals(plain, SequenceClassifier.Config.fromJson(plain.toJson()));
        assertTrue(!plain.toJson().containsKey("conv_channels"), "files without convolutions keep their old config JSON");
        SequenceClassifier a = new SequenceClassifier(plain, DType.F64, 3), b = new SequenceClassifier(conv, DType.F64, 3);
        assertTrue(b.namedParameters().containsKey("conv.0.weight"));
        assertEquals(a.namedParameters().keySet().stream().filter(n -> !n.startsWith("lstm.weight_ih")).toList(),
                b.namedParameters().keySet().stream().filter(n -> !n.startsWith("lstm.weight_ih") && !n.startsWith("conv.")).toList());
        Tensor x = Tensor.randn(DType.F64, new SplittableRandom(2), 1, 2, 9, 6);
        assertArrayEquals(new int[]{2, 3}, b.forward(x, new int[]{9, 3}).shape());
    }
}
