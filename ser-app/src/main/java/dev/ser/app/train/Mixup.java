package dev.ser.app.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Mixup (Zhang et al., 2018) of training batches: each clip's normalized features are blended with another
 * clip's of the same batch, {@code x = lambda x_i + (1 - lambda) x_j}, and the loss is blended the same way,
 * {@code lambda CE(logits, y_i) + (1 - lambda) CE(logits, y_j)}. One {@code lambda ~ Beta(alpha, alpha)} per batch,
 * folded to at least 0.5 so that {@code y_i} stays the majority label (the accuracy shown while training counts
 * it). Blending what the model has to tell apart is a regularizer of the same family as the masking: with ~900
 * clips from 15 voices the LSTM memorizes its training set, and mixup makes it predict graded mixtures instead of
 * certainties between them.
 *
 * <p>A blended clip lasts as long as the longer of the two: past a clip's end its frames are zero (the
 * normalized mean), so the shorter one simply fades out there.
 *
 * @param alpha Beta's parameter; 0 turns mixup off. 0.2-0.4 blends little most of the time (lambda near 1).
 */
public record Mixup(double alpha) {
    public static final Mixup NONE = new Mixup(0);

    public Mixup {
        if (!(alpha >= 0) || Double.isInfinite(alpha))
            throw new IllegalArgumentException("--mixup expects alpha >= 0 (0 = off; 0.2-0.4 is usual), got " + alpha);
    }

    public boolean enabled() { return alpha > 0; }

    /** One batch, blended: the examples (labels y_i), the partners' labels y_j, and lambda. */
    public record Batch(List<Example> examples, int[] partnerLabels, double lambda) {}

    /** Draws lambda and a partner for every example (a random permutation of the batch) and blends. */
    public Batch apply(List<Example> items, SplittableRandom rng) {
        double lambda = fold(beta(alpha, rng));
        int[] partner = new int[items.size()];
        for (int i = 0; i < partner.length; i++) partner[i] = i;
        for (int i = partner.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1), t = partner[i];
            partner[i] = partner[j];
            partner[j] = t;
        }
        List<Example> mixed = new ArrayList<>(items.size());
        int[] partnerLabels = new int[items.size()];
        for (int i = 0; i < items.size(); i++) {
            Example a = items.get(i), b = items.get(partner[i]);
            mixed.add(blend(a, b, lambda));
            partnerLabels[i] = b.label();
        }
        return new Batch(mixed, partnerLabels, lambda);
    }

    /** {@code lambda a + (1 - lambda) b}, as long as the longer, with a's label and id. */
    static Example blend(Example a, Example b, double lambda) {
        if (a.width() != b.width() || a.features().length != b.features().length)
            throw new IllegalArgumentException("cannot blend " + a.id() + " and " + b.id() + ": their feature matrices differ in shape");
        float[] x = new float[a.features().length];
        float la = (float) lambda, lb = (float) (1 - lambda);
        for (int k = 0; k < x.length; k++) x[k] = la * a.features()[k] + lb * b.features()[k];
        return new Example(a.id(), x, Math.max(a.frames(), b.frames()), a.width(), a.label());
    }

    private static double fold(double lambda) { return Math.max(lambda, 1 - lambda); }

    /** Beta(a, a) as X / (X + Y) with X, Y ~ Gamma(a). */
    static double beta(double a, SplittableRandom rng) {
        double x = gamma(a, rng), y = gamma(a, rng);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /**
     * Gamma(shape, 1) by Marsaglia and Tsang (2000); for shape < 1, Gamma(shape + 1) U^(1/shape). Exact in law; the
     * test checks Beta's mean and variance from it.
     */
    static double gamma(double shape, SplittableRandom rng) {
        if (shape < 1) return gamma(shape + 1, rng) * Math.pow(1 - rng.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double z = gaussian(rng), v = 1 + c * z;
            if (v <= 0) continue;
            v = v * v * v;
            double u = 1 - rng.nextDouble();
            if (Math.log(u) < 0.5 * z * z + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    /**
     * A standard normal by Box-Muller. {@code rng.nextGaussian()} would do as well, but the bundled model's members
     * were trained with these draws; switching would change what `ser train --mixup` reproduces.
     */
    private static double gaussian(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log(1 - rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }
}
