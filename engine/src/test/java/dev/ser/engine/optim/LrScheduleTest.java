package dev.ser.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Each schedule's rate sequence against PyTorch's closed forms, computed here by hand. The schedules use
 * PyTorch's chainable (multiplicative) form, which rounds differently from gamma^k by an ulp per step:
 * relative tolerance 1e-14.
 */
class LrScheduleTest {
    private static Optimizer optimizer(double lr) {
        return new Adam(Map.of("w", Tensor.zeros(DType.F64, 2).requiresGrad(true)), lr);
    }

    /** lr() after construction and after each of {@code steps} steps. */
    private static double[] sequence(LrSchedule s, int steps) {
        double[] out = new double[steps + 1];
        out[0] = s.lr();
        for (int k = 1; k <= steps; k++) {
            s.step();
            out[k] = s.lr();
        }
        return out;
    }

    private static void assertClose(double[] want, double[] got) {
        assertEquals(want.length, got.length);
        for (int i = 0; i < want.length; i++)
            assertEquals(want[i], got[i], 1e-14 * Math.abs(want[i]), "step " + i + ": want " + want[i] + ", got " + got[i]);
    }

    @Test void stepLrIsBaseTimesGammaToTheFloorOfEpochOverStepSize() {
        Optimizer opt = optimizer(0.5);
        double[] got = sequence(new StepLR(opt, 3, 0.1), 10);
        double[] want = new double[11];
        for (int e = 0; e <= 10; e++) want[e] = 0.5 * Math.pow(0.1, Math.floorDiv(e, 3));
        assertClose(want, got);
        assertEquals(got[10], opt.lr());
    }

    /** The StepLR(step_size=2, gamma=0.5) sequence PyTorch recorded beside the classifier parity run. */
    @Test void stepLrMatchesPyTorchsRecordedRates() throws Exception {
        Path file = Path.of(getClass().getResource("/reference/torch/classifier_adam_steplr.safetensors").toURI());
        double[] recorded = SafeTensors.read(file).doubles("output.lrs"); // the lr each optimizer step used
        Optimizer opt = optimizer(0.01);
        StepLR s = new StepLR(opt, 2, 0.5);
        double[] got = new double[recorded.length];
        for (int k = 0; k < recorded.length; k++) {
            got[k] = opt.lr();
            s.step(); // after optimizer.step(), as the recorded run did
        }
        assertArrayEquals(recorded, got, 0);
    }

    @Test void exponentialLrIsBaseTimesGammaToTheEpoch() {
        double[] got = sequence(new ExponentialLR(optimizer(0.2), 0.9), 8);
        double[] want = new double[9];
        for (int e = 0; e <= 8; e++) want[e] = 0.2 * Math.pow(0.9, e);
        assertClose(want, got);
    }

    @Test void warmupCosineFollowsItsDocumentedFormula() {
        // base 1, W = 2, T = 6, min 0.1: warm-up 0, 1/2; then 0.1 + 0.9 * (1 + cos(pi * j / 4)) / 2 for j = 0..3; then 0.1.
        double[] got = sequence(new WarmupCosineLR(optimizer(1.0), 2, 6, 0.1), 8);
        double c = Math.cos(Math.PI / 4);
        double[] want = {0, 0.5, 1.0, 0.1 + 0.45 * (1 + c), 0.55, 0.1 + 0.45 * (1 - c), 0.1, 0.1, 0.1};
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-15, "step " + i);
        // Without warm-up the first rate is the base rate.
        assertEquals(0.3, new WarmupCosineLR(optimizer(0.3), 0, 10, 0).lr(), 0);
        assertThrows(IllegalArgumentException.class, () -> new WarmupCosineLR(optimizer(1), 5, 4, 0));
    }

    @Test void reduceOnPlateauFollowsAScriptedMetric() {
        Optimizer opt = optimizer(1.0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, "min", 0.5, 2, 1e-4, "rel", 1, 0.2, 1e-8);
        double[] metric = {10, 9.9995, 11, 10.5, 12, 12, 12, 12, 5, 6, 6, 6, 6, 6, 6, 6};
        double[] want = {
            1, 1, 1,        // 10 is the best; 9.9995 is not below 10 * (1 - 1e-4) = 9.999, so bad 1; 11: bad 2
            0.5,            // bad 3 > patience 2: halve, cooldown 1
            0.5, 0.5, 0.5,  // cooldown swallows the first bad step; then bad 1, 2
            0.25,           // bad 3: halve
            0.25,           // 5 is a new best (and the cooldown step)
            0.25, 0.25,     // bad 1, 2
            0.2,            // bad 3: max(0.125, min_lr 0.2)
            0.2, 0.2, 0.2,  // cooldown, bad 1, bad 2
            0.2};           // bad 3: max(0.1, 0.2) = 0.2 changes nothing (not more than eps lower)
        double[] got = new double[metric.length];
        for (int e = 0; e < metric.length; e++) {
            s.step(metric[e]);
            got[e] = s.lr();
        }
        assertArrayEquals(want, got, 0);
        assertEquals(16, s.lastEpoch());
        assertEquals(5.0, s.best());
    }

    @Test void reduceOnPlateauMaxModeAbsThresholdAndNan() {
        Optimizer opt = optimizer(1.0);
        ReduceLROnPlateau s = new ReduceLROnPlateau(opt, "max", 0.1, 1, 0.01, "abs", 0, 0, 1e-8);
        s.step(0.5);         // best 0.5
        s.step(0.6);         // 0.6 > 0.51: best
        s.step(0.605);       // not > 0.61: bad 1
        assertEquals(1.0, opt.lr());
        s.step(Double.NaN);  // NaN never improves: bad 2 > 1
        assertEquals(0.1, opt.lr(), 1e-17);
        assertThrows(IllegalStateException.class, s::step);
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(opt, "min", 1.0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ReduceLROnPlateau(opt, "lowest", 0.1, 1));
    }

    @Test void timetableSchedulesIgnoreTheMetric() {
        Optimizer opt = optimizer(1.0);
        StepLR s = new StepLR(opt, 1, 0.5);
        s.step(123.0);
        assertEquals(0.5, opt.lr());
    }
}
