package dev.ser.engine.nn;

import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Pooling over time: [B, T, H] with per-sequence lengths -> [B, H]. Padded steps never contribute.
 * LAST takes each sequence's last valid step; MEAN averages the valid steps; ATTENTION learns a score
 * per step (a Dense H -> 1), softmaxes the scores over the valid steps and takes the weighted sum.
 */
public final class Pooling extends Module {
    public enum Kind { LAST, MEAN, ATTENTION }

    private final Kind kind;
    private final Dense score;

    public Pooling(Kind kind, int hidden, DType dtype, SplittableRandom rng) {
        this.kind = kind;
        this.score = kind == Kind.ATTENTION ? new Dense(hidden, 1, dtype, rng) : null;
    }

    public Kind kind() { return kind; }

    public Tensor forward(Tensor x, int[] lengths) {
        int b = x.dim(0), t = x.dim(1);
        if (lengths.length != b) throw new IllegalArgumentException("pooling: " + b + " sequences but " + lengths.length + " lengths");
        return switch (kind) {
            case LAST -> x.mul(lastStepMask(lengths, t, x.dtype()).to(x.backend())).sum(1, false);
            case MEAN -> {
                double[] inv = new double[b];
                for (int i = 0; i < b; i++) inv[i] = 1.0 / lengths[i];
                yield Masking.apply(x, lengths).sum(1, false).mul(Tensor.of(x.dtype(), inv, b, 1).to(x.backend()));
            }
            case ATTENTION -> {
                // padded steps get a score of -1e30: exp underflows to exactly 0, as with -inf, without inf - inf = NaN
                Tensor mask = Masking.timeMask(lengths, x);
                Tensor scores = score.forward(x).add(mask.addScalar(-1).scale(1e30));
                Tensor weights = scores.softmax(1);
                yield x.mul(weights).sum(1, false);
            }
        };
    }

    /** [B, T, 1]: 1 at step lengths[b]-1, else 0. */
    static Tensor lastStepMask(int[] lengths, int steps, DType dtype) {
        double[] m = new double[lengths.length * steps];
        for (int i = 0; i < lengths.length; i++) {
            Masking.checkLength(lengths[i], steps, i);
            m[i * steps + lengths[i] - 1] = 1;
        }
        return Tensor.of(dtype, m, lengths.length, steps, 1);
    }

    @Override public Map<String, Tensor> namedParameters() {
        return collect(new LinkedHashMap<>());
    }

    @Override protected Map<String, Module> children() {
        return score == null ? Map.of() : Map.of("score", score);
    }
}
