package dev.ser.engine.optim;

import java.util.Map;

/**
 * Sets an optimizer's learning rate as training goes, like {@code torch.optim.lr_scheduler}: build it
 * after the optimizer and call {@link #step()} (or {@link #step(double)}) after each
 * {@code optimizer.step()}; the new rate applies to the next update. Whether a step is an epoch or a
 * batch is the caller's choice, as in PyTorch.
 */
public interface LrSchedule {
    /** Metadata key holding the schedule's class name; its other keys start with {@code scheduler.}. */
    String PREFIX = "scheduler";

    /** Advances one step. */
    void step();

    /**
     * Advances one step given the monitored metric (validation loss, accuracy). Schedules that follow a
     * fixed timetable ignore it, so a training loop can always call this form.
     */
    default void step(double metric) { step(); }

    /** The learning rate this schedule last set (PyTorch's {@code get_last_lr()[0]}). */
    double lr();

    /** Steps taken so far (PyTorch's {@code last_epoch}). */
    int lastEpoch();

    /** Class name, hyperparameters and counters as safetensors {@code __metadata__} strings under {@code scheduler.}. */
    Map<String, String> stateMetadata();

    /**
     * Restores what {@link #stateMetadata()} wrote and sets the optimizer's learning rate to the saved last
     * one, so it does not matter whether the optimizer or the schedule is loaded first.
     */
    void loadStateMetadata(Map<String, String> metadata);
}
