package dev.ser.app.adapt;

import dev.ser.app.train.Batches;
import dev.ser.app.train.Example;
import dev.ser.engine.autograd.GradMode;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.optim.Adam;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test-time adaptation of a trained classifier to one speaker, from that speaker's unlabelled clips.
 *
 * <p>The model's weights stay as trained. What is fitted is a per-feature scale {@code a} and shift {@code b}
 * on the (already normalized) input, {@code x' = a * x + b} on every valid frame, starting at 1 and 0, by
 * full-batch Adam on an objective that needs no labels:
 * <ul>
 *   <li>{@link Objective#ENTROPY}: the mean entropy of the clips' predicted distributions (Tent, Wang et al.,
 *       ICLR 2021, there on normalization layers' affine parameters);</li>
 *   <li>{@link Objective#INFORMATION_MAXIMIZATION}: that mean entropy minus the entropy of the mean prediction
 *       (SHOT, Liang et al., ICML 2020). The second term keeps the speaker's clips from collapsing onto one
 *       class, which assumes they are not all of one emotion.</li>
 * </ul>
 *
 * <p>Each step's gradient is the exact full-batch one, accumulated over batches of {@code batchSize} clips so memory
 * holds one batch's graph. The mean prediction's entropy does not split over batches; its gradient does: with
 * {@code pbar} the mean of the N predictions, {@code d(-H(pbar))/dp_i = (log pbar + 1) / N}, so a first pass without a
 * graph computes {@code pbar} and each batch adds {@code sum_i p_i . (log pbar + 1) / N}, a term whose gradient is
 * that one (and whose value is not the objective's; {@link Result#objective} reports the objective itself).
 */
public final class SpeakerAdaptation {
    public enum Objective {
        ENTROPY("entropy"), INFORMATION_MAXIMIZATION("im");

        public final String option;

        Objective(String option) { this.option = option; }

        public static Objective ofOption(String option) {
            for (Objective o : values()) if (o.option.equals(option)) return o;
            throw new IllegalArgumentException("unknown adaptation '" + option + "': use entropy (Tent) or im (SHOT's information maximization)");
        }
    }

    /** The fixed settings docs/results.md's rule names: 10 steps of Adam at 0.01, batches of 32. */
    public record Settings(Objective objective, int steps, double lr, int batchSize) {
        public Settings {
            if (steps < 0) throw new IllegalArgumentException("adaptation steps must be >= 0, got " + steps);
            if (!(lr > 0)) throw new IllegalArgumentException("adaptation learning rate must be > 0, got " + lr);
            if (batchSize < 1) throw new IllegalArgumentException("adaptation batch size must be >= 1, got " + batchSize);
        }

        public static Settings of(Objective objective) { return new Settings(objective, 10, 0.01, 32); }
    }

    /**
     * The clips as the adapted input (padded frames stay 0), the fitted scale and shift, and the objective
     * before each step and after the last ({@code steps + 1} values).
     */
    public record Result(List<Example> adapted, float[] scale, float[] shift, double[] objective) {}

    private SpeakerAdaptation() {}

    /** Fits the scale and shift to one speaker's clips; the model is left in evaluation mode with no gradients. */
    public static Result adapt(SequenceClassifier model, List<Example> clips, Settings settings) {
        if (clips.isEmpty()) throw new IllegalArgumentException("no clips to adapt to");
        int width = clips.getFirst().width(), classes = model.config().numClasses();
        model.train(false); // no dropout: the model as it predicts
        DType dtype = model.namedParameters().values().iterator().next().dtype();
        Tensor scale = Tensor.ones(dtype, width).to(model.backend()).requiresGrad(true);
        Tensor shift = Tensor.zeros(dtype, width).to(model.backend()).requiresGrad(true);
        Map<String, Tensor> params = new LinkedHashMap<>();
        params.put("scale", scale);
        params.put("shift", shift);
        Adam adam = new Adam(params, settings.lr());
        double[] objective = new double[settings.steps() + 1];
        for (int step = 0; ; step++) {
            Predictions now = predictions(model, clips, scale, shift, settings.batchSize(), classes);
            objective[step] = now.objective(settings.objective());
            if (step == settings.steps()) break;
            accumulateGradient(model, clips, scale, shift, settings, now.mean());
            adam.step();
            adam.zeroGrad();
        }
        float[] a = scale.toFloatArray(), b = shift.toFloatArray();
        List<Example> adapted = new ArrayList<>(clips.size());
        for (Example e : clips) adapted.add(apply(e, a, b));
        return new Result(adapted, a, b, objective);
    }

    /**
     * {@link #adapt} for each group of examples apart ({@code groups.get(i)}: example i's speaker, and its test-time
     * speed where there are several); the adapted examples come back in their order, and {@code log} gets a line a
     * group naming it.
     */
    public static List<Example> adaptGroups(SequenceClassifier model, List<Example> examples, List<String> groups, Settings settings,
                                            Consumer<String> log) {
        if (groups.size() != examples.size()) throw new IllegalArgumentException(examples.size() + " examples but " + groups.size() + " groups");
        Map<String, List<Integer>> byGroup = new LinkedHashMap<>();
        for (int i = 0; i < examples.size(); i++) byGroup.computeIfAbsent(groups.get(i), k -> new ArrayList<>()).add(i);
        Example[] out = new Example[examples.size()];
        for (Map.Entry<String, List<Integer>> group : byGroup.entrySet()) {
            List<Example> clips = group.getValue().stream().map(examples::get).toList();
            Result r = adapt(model, clips, settings);
            log.accept(String.format(Locale.ROOT, "adapted to %s (%d clips, %s): objective %.4f -> %.4f", group.getKey(), clips.size(),
                    settings.objective().option, r.objective()[0], r.objective()[r.objective().length - 1]));
            for (int j = 0; j < clips.size(); j++) out[group.getValue().get(j)] = r.adapted().get(j);
        }
        return List.of(out);
    }

    /** The example with {@code a * x + b} on its valid frames. */
    static Example apply(Example e, float[] a, float[] b) {
        float[] x = e.features().clone();
        int width = e.width();
        for (int t = 0; t < e.frames(); t++)
            for (int f = 0; f < width; f++) x[t * width + f] = a[f] * x[t * width + f] + b[f];
        return new Example(e.id(), x, e.frames(), width, e.label());
    }

    private static Tensor logits(SequenceClassifier model, List<Example> batch, Tensor scale, Tensor shift) {
        Batches.Batch b = Batches.of(batch);
        Tensor x = b.x().to(model.backend());
        if (x.dtype() != scale.dtype()) x = x.to(scale.dtype());
        x = x.mul(scale).add(shift); // padded frames become b: the LSTM reads only the valid ones
        return model.forward(x, b.lengths());
    }

    private static void accumulateGradient(SequenceClassifier model, List<Example> clips, Tensor scale, Tensor shift, Settings settings,
                                           double[] meanP) {
        int n = clips.size(), classes = meanP.length;
        Tensor marginal = null;
        if (settings.objective() == Objective.INFORMATION_MAXIMIZATION) {
            double[] c = new double[classes];
            for (int k = 0; k < classes; k++) c[k] = (Math.log(Math.max(meanP[k], 1e-30)) + 1) / n;
            marginal = Tensor.of(scale.dtype(), c, 1, classes).to(model.backend());
        }
        for (int from = 0; from < n; from += settings.batchSize()) {
            List<Example> batch = clips.subList(from, Math.min(n, from + settings.batchSize()));
            Tensor logP = logits(model, batch, scale, shift).logSoftmax(1);
            Tensor p = logP.exp();
            Tensor loss = p.mul(logP).sum().scale(-1.0 / n); // this batch's share of the mean entropy
            if (marginal != null) loss = loss.add(p.mul(marginal).sum());
            loss.backward();
            model.zeroGrad(); // the weights' gradients are a by-product: they stay as trained
        }
    }

    /**
     * The objective's gradient with respect to {@code scale} and {@code shift} (leaves that require gradients, left
     * holding it): what one step of {@link #adapt} follows. For the gradient check.
     */
    static void gradient(SequenceClassifier model, List<Example> clips, Tensor scale, Tensor shift, Settings settings) {
        Predictions now = predictions(model, clips, scale, shift, settings.batchSize(), model.config().numClasses());
        accumulateGradient(model, clips, scale, shift, settings, now.mean());
    }

    /** The objective's value at {@code scale} and {@code shift}, computed whole, as {@link Result#objective} reports it. */
    static double objective(SequenceClassifier model, List<Example> clips, Tensor scale, Tensor shift, Settings settings) {
        return predictions(model, clips, scale, shift, settings.batchSize(), model.config().numClasses()).objective(settings.objective());
    }

    /** The mean prediction and the mean entropy of the predictions, with the input as it is now (no graph). */
    private record Predictions(double[] mean, double meanEntropy) {
        double objective(Objective o) { return meanEntropy - (o == Objective.INFORMATION_MAXIMIZATION ? entropy(mean) : 0); }
    }

    private static Predictions predictions(SequenceClassifier model, List<Example> clips, Tensor scale, Tensor shift, int batchSize, int classes) {
        double[] mean = new double[classes];
        double entropy = 0;
        try (GradMode ignored = GradMode.off()) {
            for (int from = 0; from < clips.size(); from += batchSize) {
                List<Example> batch = clips.subList(from, Math.min(clips.size(), from + batchSize));
                Tensor logP = logits(model, batch, scale, shift).logSoftmax(1);
                double[] lp = logP.toDoubleArray();
                for (int i = 0; i < lp.length; i++) {
                    double p = Math.exp(lp[i]);
                    mean[i % classes] += p / clips.size();
                    entropy -= p * lp[i] / clips.size();
                }
            }
        }
        return new Predictions(mean, entropy);
    }

    static double entropy(double[] p) {
        double h = 0;
        for (double v : p) if (v > 0) h -= v * Math.log(v);
        return h;
    }
}
