package dev.ser.engine.optim;

import java.util.Map;

/**
 * {@code torch.optim.lr_scheduler.StepLR}: multiplies the rate by {@code gamma} every {@code stepSize}
 * steps, so lr = base_lr * gamma^floor(last_epoch / step_size). Computed in PyTorch's chainable form
 * (the current rate times gamma at each multiple of step_size), which rounds exactly as PyTorch does.
 */
public final class StepLR extends EpochLrSchedule {
    private int stepSize;
    private double gamma;

    /** PyTorch's default gamma is 0.1. */
    public StepLR(Optimizer optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize < 1) throw new IllegalArgumentException("step_size must be >= 1, got " + stepSize);
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    public int stepSize() { return stepSize; }

    public double gamma() { return gamma; }

    @Override protected double lrAt(int epoch, double currentLr) {
        return epoch == 0 || epoch % stepSize != 0 ? currentLr : currentLr * gamma;
    }

    @Override protected void putHyperparameters(Map<String, String> out) {
        out.put(PREFIX + ".step_size", Integer.toString(stepSize));
        out.put(PREFIX + ".gamma", Double.toString(gamma));
    }

    @Override protected void loadHyperparameters(Map<String, String> in) {
        int s = Metadata.integer(in, PREFIX + ".step_size");
        if (s < 1) throw new IllegalArgumentException("checkpoint metadata 'scheduler.step_size' is " + s + ", expected >= 1");
        stepSize = s;
        gamma = Metadata.number(in, PREFIX + ".gamma");
    }
}
