package dev.ser.engine.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Save after k steps, load into freshly built objects, continue: the parameters and rates must be
 * bit-identical to a run that was never interrupted. The state travels through real safetensors bytes.
 */
class OptimizerStateTest {
    private static final int STEPS = 10, SAVE_AFTER = 4;
    /** A metric that improves, stalls and improves again, so ReduceLROnPlateau cuts the rate in both halves. */
    private static final double[] METRIC = {5, 4, 4.5, 4.2, 4.1, 4.3, 3, 3.5, 3.4, 3.3};

    private static Map<String, Tensor> model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("lstm.weight_ih_l0", Tensor.randn(DType.F64, rng, 0.5, 8, 3).requiresGrad(true));
        m.put("fc.weight", Tensor.randn(DType.F32, rng, 0.5, 2, 4).requiresGrad(true));
        m.put("fc.bias", Tensor.randn(DType.F64, rng, 0.5, 2).requiresGrad(true));
        return m;
    }

    /** A gradient that depends on the parameters (pull towards 0.3) plus step noise; fc.bias skips step 1. */
    private static void backward(Map<String, Tensor> m, int k) {
        SplittableRandom rng = new SplittableRandom(77 + k);
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            Tensor p = e.getValue();
            if (e.getKey().equals("fc.bias") && k == 1) { p.setGrad(null); continue; }
            double[] v = p.toDoubleArray(), noise = Tensor.randn(DType.F64, rng, 0.2, p.shape()).toDoubleArray();
            for (int i = 0; i < v.length; i++) v[i] = 3 * (v[i] - 0.3) + noise[i];
            p.setGrad(Tensor.of(p.dtype(), v, p.shape()));
        }
    }

    private static void train(Map<String, Tensor> m, Optimizer opt, LrSchedule s, int from, int to, double[] lrs) {
        for (int k = from; k < to; k++) {
            backward(m, k);
            GradClip.clipGradNorm(m, 2.0);
            lrs[k] = opt.lr();
            opt.step();
            s.step(METRIC[k]);
        }
    }

    private void checkResume(BiFunction<Map<String, Tensor>, Double, Optimizer> makeOpt, Function<Optimizer, LrSchedule> makeSchedule) throws Exception {
        Map<String, Tensor> straight = model(1);
        Optimizer o1 = makeOpt.apply(straight, 0.05);
        LrSchedule s1 = makeSchedule.apply(o1);
        double[] lrsStraight = new double[STEPS];
        train(straight, o1, s1, 0, STEPS, lrsStraight);

        Map<String, Tensor> first = model(1);
        Optimizer o2 = makeOpt.apply(first, 0.05);
        LrSchedule s2 = makeSchedule.apply(o2);
        double[] lrsResumed = new double[STEPS];
        train(first, o2, s2, 0, SAVE_AFTER, lrsResumed);
        SafeTensors.Writer w = new SafeTensors.Writer();
        for (Map.Entry<String, Tensor> e : first.entrySet()) {
            Tensor t = e.getValue();
            if (t.dtype() == DType.F64) w.put(e.getKey(), t.shape(), t.toDoubleArray());
            else w.put(e.getKey(), t.shape(), t.toFloatArray());
        }
        OptimizerState.write(w, o2, s2);
        SafeTensors file = SafeTensors.parse(w.toBytes(), null);

        // A new process: a model with other initial values, an optimizer with another lr, a fresh schedule.
        Map<String, Tensor> resumed = model(2);
        for (Map.Entry<String, Tensor> e : resumed.entrySet()) {
            Tensor p = e.getValue();
            double[] saved = file.doubles(e.getKey());
            for (int i = 0; i < saved.length; i++) p.host().set(i, saved[i]);
        }
        Optimizer o3 = makeOpt.apply(resumed, 0.9);
        LrSchedule s3 = makeSchedule.apply(o3);
        OptimizerState.read(file, o3, s3);
        assertEquals(s2.lastEpoch(), s3.lastEpoch());
        train(resumed, o3, s3, SAVE_AFTER, STEPS, lrsResumed);

        assertArrayEquals(lrsStraight, lrsResumed, 0, "learning rates");
        for (String name : straight.keySet())
            assertArrayEquals(straight.get(name).toDoubleArray(), resumed.get(name).toDoubleArray(), 0, name);
        assertEquals(s1.stateMetadata(), s3.stateMetadata());
        assertEquals(o1.stateMetadata(), o3.stateMetadata());
    }

    @Test void adamWithStepLrResumesExactly() throws Exception {
        checkResume((m, lr) -> new Adam(m, lr), o -> new StepLR(o, 3, 0.5));
    }

    @Test void adamwAmsgradWithWarmupCosineResumesExactly() throws Exception {
        checkResume((m, lr) -> new AdamW(m, lr, 0.9, 0.999, 1e-8, 0.01, true), o -> new WarmupCosineLR(o, 3, 8, 0.001));
    }

    @Test void adamWithPlateauResumesExactly() throws Exception {
        checkResume((m, lr) -> new Adam(m, lr, 0.9, 0.99, 1e-8, 0.1, false),
                o -> new ReduceLROnPlateau(o, "min", 0.5, 1, 1e-4, "rel", 1, 0, 1e-8));
    }

    @Test void exportUsesPyTorchNames() {
        Map<String, Tensor> m = model(3);
        AdamW opt = new AdamW(m, 0.01, 0.9, 0.999, 1e-8, 0.01, true);
        backward(m, 0);
        opt.step();
        Map<String, Tensor> t = opt.stateTensors();
        assertTrue(t.containsKey("optimizer.state.lstm.weight_ih_l0.exp_avg"), t.keySet().toString());
        assertTrue(t.containsKey("optimizer.state.fc.weight.max_exp_avg_sq"), t.keySet().toString());
        assertEquals(1.0, t.get("optimizer.state.fc.bias.step").item());
        assertEquals(DType.F32, t.get("optimizer.state.fc.weight.exp_avg_sq").dtype());
        Map<String, String> md = opt.stateMetadata();
        assertEquals("AdamW", md.get("optimizer"));
        assertEquals("[{\"lr\":0.01,\"betas\":[0.9,0.999],\"eps\":1.0E-8,\"weight_decay\":0.01,\"amsgrad\":true}]",
                md.get("optimizer.param_groups"));
    }

    @Test void mismatchedCheckpointsFailClearly() {
        Map<String, Tensor> m = model(4);
        Adam adam = new Adam(m, 0.01);
        backward(m, 0);
        adam.step();
        AdamW other = new AdamW(model(4), 0.01);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.loadStateMetadata(adam.stateMetadata()));
        assertTrue(e.getMessage().contains("holds Adam state"), e.getMessage());

        Map<String, Tensor> renamed = new LinkedHashMap<>();
        adam.stateTensors().forEach((k, v) -> renamed.put(k.replace("fc.weight", "head.weight"), v));
        e = assertThrows(IllegalArgumentException.class, () -> new Adam(model(4), 0.01).loadStateTensors(renamed));
        assertTrue(e.getMessage().contains("head.weight"), e.getMessage());

        Adam ams = new Adam(model(4), 0.01, 0.9, 0.999, 1e-8, 0, true);
        e = assertThrows(IllegalArgumentException.class, () -> ams.loadStateTensors(adam.stateTensors()));
        assertTrue(e.getMessage().contains("max_exp_avg_sq"), e.getMessage());

        StepLR step = new StepLR(adam, 2, 0.5);
        e = assertThrows(IllegalArgumentException.class, () -> new ExponentialLR(adam, 0.9).loadStateMetadata(step.stateMetadata()));
        assertTrue(e.getMessage().contains("StepLR"), e.getMessage());
    }
}
