package dev.ser.engine.parity;

import dev.ser.engine.backend.Backend;
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

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * module "LSTM -> last layer's h_n -> Linear -> cross_entropy(mean)" trained for a few steps with Adam or
 * AdamW, a StepLR schedule and optional gradient clipping: the loss and learning rate at each step and
 * every parameter after each step.
 */
final class ClassifierCase {
    private ClassifierCase() {}

    private static final Pattern STEP_LR = Pattern.compile("StepLR\\(step_size=(\\d+), gamma=([0-9.eE+-]+)\\)");

    static void run(SafeTensors st, Map<String, Object> c, Backend backend, List<Comparison> out) {
        int layers = ParityCase.num(c, "num_layers"), hidden = ParityCase.num(c, "hidden_size");
        LSTM lstm = new LSTM(ParityCase.num(c, "input_size"), hidden, layers, false, 0, DType.F64, new SplittableRandom(0));
        Dense fc = new Dense(hidden, ParityCase.num(c, "classes"), DType.F64, new SplittableRandom(1));
        Map<String, Tensor> params = new LinkedHashMap<>();
        lstm.namedParameters().forEach((k, v) -> params.put("lstm." + k, v));
        fc.namedParameters().forEach((k, v) -> params.put("fc." + k, v));
        ParityCase.loadParameters(st, "", params);
        lstm.moveTo(backend);
        fc.moveTo(backend);

        @SuppressWarnings("unchecked") List<Number> betas = (List<Number>) c.get("betas");
        double lr = ParityCase.real(c, "lr"), eps = ParityCase.real(c, "eps");
        double wd = c.get("weight_decay") == null ? 0 : ParityCase.real(c, "weight_decay");
        String kind = String.valueOf(c.get("optimizer"));
        Optimizer opt = switch (kind) {
            case "adam" -> new Adam(params, lr, betas.get(0).doubleValue(), betas.get(1).doubleValue(), eps, wd, false);
            case "adamw" -> new AdamW(params, lr, betas.get(0).doubleValue(), betas.get(1).doubleValue(), eps, wd, false);
            default -> throw new IllegalArgumentException("optimizer '" + kind + "' is not one this engine runs (adam, adamw)");
        };
        StepLR schedule = null;
        if (c.get("schedule") != null) {
            Matcher m = STEP_LR.matcher(String.valueOf(c.get("schedule")));
            if (!m.find()) throw new IllegalArgumentException("schedule '" + c.get("schedule") + "' is not one this runner parses (StepLR)");
            schedule = new StepLR(opt, Integer.parseInt(m.group(1)), Double.parseDouble(m.group(2)));
        }
        Double clip = c.get("clip_grad_norm") == null ? null : ParityCase.real(c, "clip_grad_norm");

        Tensor x = ParityCase.tensor(st, "input.x", false, backend);
        int[] lengths = st.has("input.lengths") ? st.ints("input.lengths") : null;
        int[] targets = st.ints("input.targets");
        int steps = ParityCase.num(c, "steps");
        double[] losses = new double[steps], lrs = new double[steps];
        for (int step = 0; step < steps; step++) {
            opt.zeroGrad();
            lrs[step] = opt.lr();
            Tensor last = Reshape.select(lstm.forward(x, lengths, null, null).hN(), 0, layers - 1);
            Tensor loss = new CrossEntropy().apply(fc.forward(last), targets);
            losses[step] = loss.item();
            loss.backward();
            if (clip != null) GradClip.clipGradNorm(params, clip);
            opt.step();
            if (schedule != null) schedule.step();
            for (Map.Entry<String, Tensor> p : params.entrySet())
                ParityCase.compare(out, st, "after_step" + (step + 1) + "." + p.getKey(), p.getValue());
        }
        if (st.has("output.losses")) out.add(Comparison.of("output.losses", losses, st.doubles("output.losses")));
        if (st.has("output.lrs")) out.add(Comparison.of("output.lrs", lrs, st.doubles("output.lrs")));
    }
}
