package dev.ser.engine.check;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.nn.Pooling;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.optim.AdamW;
import dev.ser.engine.optim.GradClip;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Does a backend train like the CPU? Runs the same small SER model (2-layer bidirectional LSTM with
 * dropout, ragged lengths, pooling, a dense head, weighted and label-smoothed cross-entropy, AdamW with
 * gradient clipping) for a few steps on the CPU and on {@code device}, from the same seed, and compares
 * every loss, every logit and every parameter after every step. This is the end-to-end check of a
 * device backend: each kernel has its own test, this one catches what falls between them (a parameter
 * left on the host, an in-place update that missed, a gradient routed to the wrong tensor).
 *
 * <p>The error of a tensor is {@code max|device - cpu| / max|cpu|} (relative to the tensor's scale, so
 * near-zero elements do not dominate); the report keeps the worst per tensor name over all steps.
 */
public final class BackendAgreement {
    private BackendAgreement() {}

    /**
     * Parameters whose gradient is zero in exact arithmetic: the attention score's bias shifts every score of a
     * sequence alike, and softmax ignores a shift. What backprop computes for it is rounding noise, and in float32
     * that noise is as large as Adam's epsilon (1e-8), so Adam turns it into steps of about lr whose sign depends on
     * the summation order: two correct backends disagree there by ~1e-4 after a few steps. Compare them in float64
     * (noise 1e-17, steps 1e-12) and leave them out of float32 bars ({@link Report#worstExcept}).
     */
    public static final Set<String> ZERO_GRADIENT = Set.of("pool.score.bias");

    public record Report(Map<String, Double> errors) {
        public double worst() { return errors.values().stream().mapToDouble(Double::doubleValue).max().orElse(0); }

        /** The worst error over the tensors not in {@code names}. */
        public double worstExcept(Set<String> names) {
            return errors.entrySet().stream().filter(e -> !names.contains(e.getKey())).mapToDouble(Map.Entry::getValue).max().orElse(0);
        }

        public String worstName() {
            return errors.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("-");
        }

        @Override public String toString() { return String.format("worst %.3e at %s", worst(), worstName()); }
    }

    /** {@code steps} training steps of the model with {@code pooling}, then one evaluation forward. */
    public static Report trainingSteps(Backend device, DType dtype, Pooling.Kind pooling, int steps, long seed) {
        return trainingSteps(device, dtype, model(pooling), steps, seed);
    }

    /** The model the checks train: 7 inputs, a 2-layer bidirectional LSTM of 6, dense 5, 4 classes. */
    public static SequenceClassifier.Config model(Pooling.Kind pooling) {
        return new SequenceClassifier.Config(7, 6, 2, true, 0.25, pooling, List.of(5), 4);
    }

    /** The same for any model taking 7 features per frame and giving 4 classes (e.g. with convolutions). */
    public static Report trainingSteps(Backend device, DType dtype, SequenceClassifier.Config config, int steps, long seed) {
        if (config.inputSize() != 7 || config.numClasses() != 4)
            throw new IllegalArgumentException("the agreement check feeds 7 features per frame and 4 classes; got " + config);
        Run cpu = new Run(CpuBackend.INSTANCE, config, dtype, seed);
        Run dev = new Run(device, config, dtype, seed);
        Map<String, Double> errors = new LinkedHashMap<>();
        SplittableRandom data = new SplittableRandom(seed ^ 0x5EEDL);
        int[] lengths = {9, 4, 1, 7, 9};
        int[] targets = {0, 3, 1, 2, 3};
        for (int step = 0; step < steps; step++) {
            Tensor x = Tensor.randn(dtype, data, 1.0, lengths.length, 9, 7);
            cpu.model.seedDropout(seed + step);
            dev.model.seedDropout(seed + step);
            Tensor[] a = cpu.step(x, lengths, targets), b = dev.step(x.to(device), lengths, targets);
            note(errors, "loss", a[0], b[0]);
            note(errors, "logits", a[1], b[1]);
            for (String name : cpu.params.keySet()) note(errors, name, cpu.params.get(name), dev.params.get(name));
        }
        cpu.model.train(false);
        dev.model.train(false);
        Tensor x = Tensor.randn(dtype, data, 1.0, lengths.length, 9, 7);
        note(errors, "eval logits", cpu.model.forward(x, lengths), dev.model.forward(x.to(device), lengths));
        return new Report(errors);
    }

    private static void note(Map<String, Double> errors, String name, Tensor cpu, Tensor device) {
        double[] c = cpu.toDoubleArray(), d = device.toDoubleArray();
        double scale = 0, diff = 0;
        for (int i = 0; i < c.length; i++) {
            scale = Math.max(scale, Math.abs(c[i]));
            double e = Math.abs(c[i] - d[i]);
            diff = Double.isNaN(e) ? Double.POSITIVE_INFINITY : Math.max(diff, e);
        }
        errors.merge(name, scale == 0 ? diff : diff / scale, Math::max);
    }

    /** One model, optimizer and loss on one backend. */
    private static final class Run {
        final SequenceClassifier model;
        final Map<String, Tensor> params;
        final AdamW optimizer;
        final CrossEntropy loss;

        Run(Backend backend, SequenceClassifier.Config config, DType dtype, long seed) {
            model = new SequenceClassifier(config, dtype, seed);
            model.moveTo(backend);
            params = model.namedParameters();
            optimizer = new AdamW(params, 1e-2, 0.9, 0.999, 1e-8, 0.01, false);
            Tensor weights = Tensor.of(dtype, new double[]{1.0, 2.0, 0.5, 1.5}, 4).to(backend);
            loss = new CrossEntropy(weights, 0.1);
        }

        /** {loss, logits} of one training step (forward, backward, clip, update). */
        Tensor[] step(Tensor x, int[] lengths, int[] targets) {
            model.train(true);
            optimizer.zeroGrad();
            Tensor logits = model.forward(x, lengths);
            Tensor l = loss.apply(logits, targets);
            l.backward();
            GradClip.clipGradNorm(params, 0.05); // small enough that clipping always scales
            optimizer.step();
            return new Tensor[]{l.detach(), logits.detach()};
        }
    }
}
