package dev.ser.app.train;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One row of the training history. {@code trainLoss} is the objective the optimizer saw (class-weighted,
 * label-smoothed, under dropout and masking, averaged over the epoch's batches); {@code valLoss} is the
 * plain mean cross-entropy of the model at the end of the epoch, so the two are not the same quantity.
 */
public record EpochMetrics(int epoch, double trainLoss, double trainAccuracy, double valLoss, double valAccuracy, double valUar,
                           double lr, double seconds) {
    public static final String CSV_HEADER = "epoch,train_loss,train_accuracy,val_loss,val_accuracy,val_uar,lr,seconds";

    public String csv() {
        return String.format(java.util.Locale.ROOT, "%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6g,%.2f", epoch, trainLoss, trainAccuracy, valLoss,
                valAccuracy, valUar, lr, seconds);
    }

    /** The value of a selection metric, oriented so that larger is better. */
    public double score(String selectBy) {
        return switch (selectBy) {
            case "uar" -> valUar;
            case "accuracy" -> valAccuracy;
            case "loss" -> -valLoss;
            default -> throw new IllegalArgumentException("--select-by must be uar, accuracy or loss; got '" + selectBy + "'");
        };
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("epoch", epoch);
        m.put("train_loss", trainLoss);
        m.put("train_accuracy", trainAccuracy);
        m.put("val_loss", valLoss);
        m.put("val_accuracy", valAccuracy);
        m.put("val_uar", valUar);
        m.put("lr", lr);
        m.put("seconds", seconds);
        return m;
    }

    public static EpochMetrics fromJson(Map<String, Object> m) {
        return new EpochMetrics(((Number) m.get("epoch")).intValue(), d(m, "train_loss"), d(m, "train_accuracy"), d(m, "val_loss"),
                d(m, "val_accuracy"), d(m, "val_uar"), d(m, "lr"), d(m, "seconds"));
    }

    private static double d(Map<String, Object> m, String k) {
        Object v = m.get(k);
        return v instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
