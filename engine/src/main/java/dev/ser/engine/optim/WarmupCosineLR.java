package dev.ser.engine.optim;

import java.util.Map;

/**
 * Linear warm-up, then cosine annealing to {@code minLr}: Hugging Face's
 * {@code get_cosine_with_min_lr_schedule_with_warmup} (one half-cosine), held at {@code minLr} after the end.
 * With t = last_epoch, W = warmupSteps, T = totalSteps and base = the optimizer's rate at construction:
 *
 * <pre>
 *   t &lt; W        lr = base * t / W                                     (0 at t = 0, as in Hugging Face)
 *   W &lt;= t &lt; T   lr = minLr + (base - minLr) * (1 + cos(pi * (t - W) / (T - W))) / 2
 *   t &gt;= T       lr = minLr
 * </pre>
 *
 * so the rate reaches base at t = W and minLr at t = T. A closed form of t (PyTorch's LambdaLR style), so
 * a rate set by hand is overwritten at the next step. PyTorch 1.13 has no such schedule built in
 * (CosineAnnealingLR has no warm-up and a recursive form).
 */
public final class WarmupCosineLR extends EpochLrSchedule {
    private int warmupSteps, totalSteps;
    private double minLr;

    public WarmupCosineLR(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr) {
        super(optimizer);
        check(warmupSteps, totalSteps, minLr);
        this.warmupSteps = warmupSteps;
        this.totalSteps = totalSteps;
        this.minLr = minLr;
        initialStep();
    }

    private static void check(int warmupSteps, int totalSteps, double minLr) {
        if (warmupSteps < 0 || totalSteps < 1 || warmupSteps > totalSteps)
            throw new IllegalArgumentException("expected 0 <= warmup_steps <= total_steps and total_steps >= 1, got warmup_steps "
                    + warmupSteps + ", total_steps " + totalSteps);
        if (!(minLr >= 0)) throw new IllegalArgumentException("min_lr must be >= 0, got " + minLr);
    }

    @Override protected double lrAt(int t, double currentLr) {
        double base = baseLr();
        if (t < warmupSteps) return base * t / warmupSteps;
        if (t >= totalSteps) return minLr;
        double progress = (double) (t - warmupSteps) / (totalSteps - warmupSteps);
        return minLr + (base - minLr) * 0.5 * (1 + Math.cos(Math.PI * progress));
    }

    @Override protected void putHyperparameters(Map<String, String> out) {
        out.put(PREFIX + ".warmup_steps", Integer.toString(warmupSteps));
        out.put(PREFIX + ".total_steps", Integer.toString(totalSteps));
        out.put(PREFIX + ".min_lr", Double.toString(minLr));
    }

    @Override protected void loadHyperparameters(Map<String, String> in) {
        int w = Metadata.integer(in, PREFIX + ".warmup_steps"), t = Metadata.integer(in, PREFIX + ".total_steps");
        double m = Metadata.number(in, PREFIX + ".min_lr");
        check(w, t, m);
        warmupSteps = w;
        totalSteps = t;
        minLr = m;
    }
}
