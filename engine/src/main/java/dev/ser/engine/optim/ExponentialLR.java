package dev.ser.engine.optim;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.ExponentialLR}: multiplies the rate by {@code gamma} every step,
 * lr = base_lr * gamma^last_epoch (chainable form, as PyTorch computes it).
 */
public final class ExponentialLR extends EpochLrSchedule {
    private double gamma;

    public ExponentialLR(Optimizer optimizer, double gamma) {
        super(optimizer);
        this.gamma = gamma;
        initialStep();
    }

    public double gamma() { return gamma; }

    @Override protected double lrAt(int epoch, double currentLr) {
        return epoch == 0 ? currentLr : currentLr * gamma;
    }

    @Override protected void putHyperparameters(Map<String, String> out) {
        out.put(PREFIX + ".gamma", Double.toString(gamma));
    }

    @Override protected void loadHyperparameters(Map<String, String> in) {
        gamma = Metadata.number(in, PREFIX + ".gamma");
    }
}
