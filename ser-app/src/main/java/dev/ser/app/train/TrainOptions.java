package dev.ser.app.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How to train: optimizer, schedule, batches, stopping. Names follow PyTorch's where one exists.
 *
 * @param schedule    none | step | exponential | cosine (linear warm-up, per batch) | plateau (on the validation loss)
 * @param selectBy    the validation metric that picks the best epoch and drives early stopping: uar | accuracy | loss
 * @param patience    epochs without improvement before stopping (0 = never stop early)
 * @param classWeights balanced: weight each class by n / (C * n_class) in the loss, as scikit-learn's "balanced"
 */
public record TrainOptions(int epochs, int batchSize, String optimizer, double lr, double weightDecay, String schedule,
                           int stepSize, double gamma, int warmupEpochs, double minLr, double clipGradNorm, int patience,
                           String selectBy, boolean classWeights, double labelSmoothing, long seed) {
    public TrainOptions {
        if (epochs < 1) throw new IllegalArgumentException("--epochs must be >= 1, got " + epochs);
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size must be >= 1, got " + batchSize);
        if (!(lr > 0)) throw new IllegalArgumentException("--lr must be > 0, got " + lr);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("--weight-decay must be >= 0, got " + weightDecay);
        if (schedule.equals("cosine") && (warmupEpochs < 0 || warmupEpochs > epochs))
            throw new IllegalArgumentException("--warmup-epochs must be between 0 and --epochs (" + epochs + ") for the cosine schedule, got " + warmupEpochs);
        if (!(labelSmoothing >= 0 && labelSmoothing < 1)) throw new IllegalArgumentException("--label-smoothing must be in [0, 1), got " + labelSmoothing);
    }

    public static TrainOptions defaults() {
        return new TrainOptions(40, 32, "adamw", 1e-3, 1e-2, "cosine", 10, 0.5, 2, 1e-5, 1.0, 10, "uar", true, 0.0, 42);
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epochs", epochs);
        m.put("batch_size", batchSize);
        m.put("optimizer", optimizer);
        m.put("lr", lr);
        m.put("weight_decay", weightDecay);
        m.put("schedule", schedule);
        m.put("step_size", stepSize);
        m.put("gamma", gamma);
        m.put("warmup_epochs", warmupEpochs);
        m.put("min_lr", minLr);
        m.put("clip_grad_norm", clipGradNorm);
        m.put("patience", patience);
        m.put("select_by", selectBy);
        m.put("class_weights", classWeights ? "balanced" : "none");
        m.put("label_smoothing", labelSmoothing);
        m.put("seed", seed);
        return m;
    }
}
