package dev.ser.engine.parity;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.Dense;
import dev.ser.engine.nn.LSTM;
import dev.ser.engine.ops.Reshape;
import dev.ser.engine.optim.Adam;
import dev.ser.engine.optim.AdamW;
import dev.ser.engine.optim.GradClip;
import dev.ser.engine.optim.Optimizer;
import dev.ser.engine.optim.StepLR;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole training steps against PyTorch float64: LSTM -> last layer's h_n -> Linear -> cross-entropy,
 * Adam or AdamW, StepLR, gradient clipping. After every step, every parameter within 1e-9 relative;
 * the loss before each step and the learning rate used, too.
 */
class ClassifierTrainingParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"classifier_adam_steplr", "classifier_adamw_clip"})
    void parametersAfterEachStepMatchPyTorch(String caseName) {
        SafeTensors st = ReferenceCases.load(caseName);
        Map<String, Object> c = ReferenceCases.caseOf(st);
        int in = num(c, "input_size"), hidden = num(c, "hidden_size"), layers = num(c, "num_layers"), classes = num(c, "classes");
        LSTM lstm = new LSTM(in, hidden, layers, false, 0, DType.F64, new SplittableRandom(0));
        Dense fc = new Dense(hidden, classes, DType.F64, new SplittableRandom(1));
        Map<String, Tensor> params = new LinkedHashMap<>();
        lstm.namedParameters().forEach((k, v) -> params.put("lstm." + k, v));
        fc.namedParameters().forEach((k, v) -> params.put("fc." + k, v));
        params.forEach((k, v) -> System.arraycopy(st.doubles(k), 0, v.host().d, 0, v.numel()));

        double lr = ((Number) c.get("lr")).doubleValue(), wd = ((Number) c.get("weight_decay")).doubleValue();
        @SuppressWarnings("unchecked") List<Number> betas = (List<Number>) c.get("betas");
        double eps = ((Number) c.get("eps")).doubleValue();
        Optimizer opt = c.get("optimizer").equals("adamw")
                ? new AdamW(params, lr, betas.get(0).doubleValue(), betas.get(1).doubleValue(), eps, wd, false)
                : new Adam(params, lr, betas.get(0).doubleValue(), betas.get(1).doubleValue(), eps, wd, false);
        StepLR schedule = new StepLR(opt, 2, 0.5); // the case's "StepLR(step_size=2, gamma=0.5)"
        Double clip = c.get("clip_grad_norm") == null ? null : ((Number) c.get("clip_grad_norm")).doubleValue();

        Tensor x = ReferenceCases.tensor(st, "input.x", false);
        int[] lengths = st.ints("input.lengths"), targets = st.ints("input.targets");
        double[] losses = st.doubles("output.losses"), lrs = st.doubles("output.lrs");
        double worst = 0;
        for (int step = 0; step < num(c, "steps"); step++) {
            opt.zeroGrad();
            assertEquals(lrs[step], opt.lr(), 1e-15, "learning rate used at step " + (step + 1));
            Tensor hN = lstm.forward(x, lengths, null, null).hN();
            Tensor last = Reshape.select(hN, 0, layers - 1);
            Tensor loss = new CrossEntropy().apply(fc.forward(last), targets);
            assertEquals(losses[step], loss.item(), 1e-12 * Math.abs(losses[step]), "loss before step " + (step + 1));
            loss.backward();
            if (clip != null) GradClip.clipGradNorm(params, clip);
            opt.step();
            schedule.step();
            for (Map.Entry<String, Tensor> p : params.entrySet()) {
                double rel = ReferenceCases.relError(p.getValue().toDoubleArray(), st.doubles("after_step" + (step + 1) + "." + p.getKey()));
                worst = Math.max(worst, rel);
                assertTrue(rel <= 1e-9, caseName + " step " + (step + 1) + " " + p.getKey() + ": rel error " + rel);
            }
        }
        System.out.printf("%s: worst parameter rel error over all steps %.3e%n", caseName, worst);
    }

    private static int num(Map<String, Object> c, String key) { return ((Number) c.get(key)).intValue(); }
}
