package dev.ser.engine.optim;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The common part of timetable schedules, PyTorch's {@code LRScheduler}: it remembers the optimizer's
 * learning rate at construction as {@code base_lr}, takes an initial step to epoch 0 (which may already
 * change the rate, e.g. to 0 at the start of a warm-up), and on each {@link #step()} advances
 * {@code last_epoch} and sets the rate {@link #lrAt} returns.
 */
public abstract class EpochLrSchedule implements LrSchedule {
    protected final Optimizer optimizer;
    private double baseLr;
    private int lastEpoch = -1;
    private double lastLr;

    protected EpochLrSchedule(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
    }

    /**
     * The initial step of PyTorch's constructor. Subclasses call it as the last line of their own
     * constructor: {@link #lrAt} reads their fields, which are not yet set while this constructor runs.
     */
    protected final void initialStep() {
        if (lastEpoch != -1) throw new IllegalStateException("initialStep() runs once, from the constructor");
        step();
    }

    /**
     * The rate for {@code epoch} given the rate in force now. Multiplicative schedules use
     * {@code currentLr} (PyTorch's chainable form, which respects a rate changed by hand); closed forms use
     * {@link #baseLr()}.
     */
    protected abstract double lrAt(int epoch, double currentLr);

    @Override public final void step() {
        lastEpoch++;
        lastLr = lrAt(lastEpoch, optimizer.lr());
        optimizer.setLr(lastLr);
    }

    @Override public final double lr() { return lastLr; }

    @Override public final int lastEpoch() { return lastEpoch; }

    /** The optimizer's learning rate when this schedule was built (PyTorch's {@code base_lrs[0]}). */
    public final double baseLr() { return baseLr; }

    /** The class name written to checkpoints. */
    protected String type() { return getClass().getSimpleName(); }

    /** Hyperparameters under {@code scheduler.<name>}, as Double.toString/Integer.toString. */
    protected abstract void putHyperparameters(Map<String, String> out);

    /** Reads back what {@link #putHyperparameters} wrote (PyTorch's load_state_dict restores them too). */
    protected abstract void loadHyperparameters(Map<String, String> in);

    @Override public final Map<String, String> stateMetadata() {
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX, type());
        out.put(PREFIX + ".last_epoch", Integer.toString(lastEpoch));
        out.put(PREFIX + ".base_lr", Double.toString(baseLr));
        out.put(PREFIX + ".last_lr", Double.toString(lastLr));
        putHyperparameters(out);
        return out;
    }

    @Override public final void loadStateMetadata(Map<String, String> md) {
        Metadata.expectType(md, type());
        int epoch = Metadata.integer(md, PREFIX + ".last_epoch");
        double base = Metadata.number(md, PREFIX + ".base_lr"), last = Metadata.number(md, PREFIX + ".last_lr");
        loadHyperparameters(md);
        lastEpoch = epoch;
        baseLr = base;
        lastLr = last;
        optimizer.setLr(last);
    }
}
