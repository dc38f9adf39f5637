package dev.ser.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ReduceLROnPlateau} (PyTorch 1.13): multiplies the rate by {@code factor}
 * once the monitored metric has not improved for more than {@code patience} steps.
 *
 * <ul>
 *   <li>Improvement ("is better"): mode min, rel: {@code a < best * (1 - threshold)}; min, abs:
 *       {@code a < best - threshold}; max, rel: {@code a > best * (1 + threshold)}; max, abs:
 *       {@code a > best + threshold}. {@code best} starts at +inf (min) or -inf (max); NaN never improves.</li>
 *   <li>Each step: improvement resets the bad-step count, else it grows by one. During cooldown the count
 *       is forced to 0 and cooldown counts down. When the count exceeds patience the rate becomes
 *       {@code max(lr * factor, minLr)}, applied only if that lowers it by more than {@code eps}; then
 *       cooldown restarts and the count resets.</li>
 * </ul>
 * With patience 2 and a metric that stops improving, the rate drops on the third non-improving step.
 */
public final class ReduceLROnPlateau implements LrSchedule {
    private final Optimizer optimizer;
    private String mode, thresholdMode;
    private double factor, threshold, minLr, eps;
    private int patience, cooldown;

    private double best;
    private int numBadEpochs, cooldownCounter, lastEpoch;

    /** PyTorch's defaults: mode min, factor 0.1, patience 10, threshold 1e-4 rel, cooldown 0, min_lr 0, eps 1e-8. */
    public ReduceLROnPlateau(Optimizer optimizer) { this(optimizer, "min", 0.1, 10); }

    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience) {
        this(optimizer, mode, factor, patience, 1e-4, "rel", 0, 0, 1e-8);
    }

    public ReduceLROnPlateau(Optimizer optimizer, String mode, double factor, int patience, double threshold,
                             String thresholdMode, int cooldown, double minLr, double eps) {
        this.optimizer = optimizer;
        setHyperparameters(mode, factor, patience, threshold, thresholdMode, cooldown, minLr, eps);
        best = worst();
        numBadEpochs = 0;
        cooldownCounter = 0;
        lastEpoch = 0;
    }

    private void setHyperparameters(String mode, double factor, int patience, double threshold, String thresholdMode,
                                    int cooldown, double minLr, double eps) {
        if (!mode.equals("min") && !mode.equals("max")) throw new IllegalArgumentException("mode " + mode + " is unknown! (expected min or max)");
        if (!thresholdMode.equals("rel") && !thresholdMode.equals("abs"))
            throw new IllegalArgumentException("threshold mode " + thresholdMode + " is unknown! (expected rel or abs)");
        if (!(factor < 1.0)) throw new IllegalArgumentException("Factor should be < 1.0, got " + factor);
        if (patience < 0 || cooldown < 0) throw new IllegalArgumentException("patience and cooldown must be >= 0, got " + patience + ", " + cooldown);
        this.mode = mode;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.thresholdMode = thresholdMode;
        this.cooldown = cooldown;
        this.minLr = minLr;
        this.eps = eps;
    }

    private double worst() { return mode.equals("min") ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY; }

    private boolean isBetter(double a, double best) {
        boolean min = mode.equals("min"), rel = thresholdMode.equals("rel");
        if (min && rel) return a < best * (1. - threshold);
        if (min) return a < best - threshold;
        if (rel) return a > best * (threshold + 1.);
        return a > best + threshold;
    }

    /** ReduceLROnPlateau needs the metric; this form is an error, as in PyTorch. */
    @Override public void step() {
        throw new IllegalStateException("ReduceLROnPlateau.step() needs the monitored metric: call step(validationLoss)");
    }

    @Override public void step(double metric) {
        lastEpoch++;
        if (isBetter(metric, best)) {
            best = metric;
            numBadEpochs = 0;
        } else {
            numBadEpochs++;
        }
        if (cooldownCounter > 0) {
            cooldownCounter--;
            numBadEpochs = 0; // bad steps during cooldown do not count
        }
        if (numBadEpochs > patience) {
            double oldLr = optimizer.lr(), newLr = Math.max(oldLr * factor, minLr);
            if (oldLr - newLr > eps) optimizer.setLr(newLr);
            cooldownCounter = cooldown;
            numBadEpochs = 0;
        }
    }

    @Override public double lr() { return optimizer.lr(); }

    @Override public int lastEpoch() { return lastEpoch; }

    public double best() { return best; }

    public int numBadEpochs() { return numBadEpochs; }

    public int cooldownCounter() { return cooldownCounter; }

    @Override public Map<String, String> stateMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX, "ReduceLROnPlateau");
        out.put(PREFIX + ".mode", mode);
        out.put(PREFIX + ".factor", Double.toString(factor));
        out.put(PREFIX + ".patience", Integer.toString(patience));
        out.put(PREFIX + ".threshold", Double.toString(threshold));
        out.put(PREFIX + ".threshold_mode", thresholdMode);
        out.put(PREFIX + ".cooldown", Integer.toString(cooldown));
        out.put(PREFIX + ".min_lr", Double.toString(minLr));
        out.put(PREFIX + ".eps", Double.toString(eps));
        out.put(PREFIX + ".best", Double.toString(best));
        out.put(PREFIX + ".num_bad_epochs", Integer.toString(numBadEpochs));
        out.put(PREFIX + ".cooldown_counter", Integer.toString(cooldownCounter));
        out.put(PREFIX + ".last_epoch", Integer.toString(lastEpoch));
        out.put(PREFIX + ".last_lr", Double.toString(optimizer.lr()));
        return out;
    }

    @Override public void loadStateMetadata(Map<String, String> md) {
        Metadata.expectType(md, "ReduceLROnPlateau");
        double lastLr = Metadata.number(md, PREFIX + ".last_lr");
        double newBest = Metadata.number(md, PREFIX + ".best");
        int bad = Metadata.integer(md, PREFIX + ".num_bad_epochs"), cool = Metadata.integer(md, PREFIX + ".cooldown_counter");
        int epoch = Metadata.integer(md, PREFIX + ".last_epoch");
        setHyperparameters(Metadata.string(md, PREFIX + ".mode"), Metadata.number(md, PREFIX + ".factor"),
                Metadata.integer(md, PREFIX + ".patience"), Metadata.number(md, PREFIX + ".threshold"),
                Metadata.string(md, PREFIX + ".threshold_mode"), Metadata.integer(md, PREFIX + ".cooldown"),
                Metadata.number(md, PREFIX + ".min_lr"), Metadata.number(md, PREFIX + ".eps"));
        best = newBest;
        numBadEpochs = bad;
        cooldownCounter = cool;
        lastEpoch = epoch;
        optimizer.setLr(lastLr);
    }
}
