package dev.ser.engine.optim;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Puts optimizer and schedule state into the same safetensors file as the model weights, and reads it
 * back, so that a resumed run continues exactly as an uninterrupted one. Layout (PyTorch's names):
 *
 * <pre>
 *   tensors        optimizer.state.&lt;param&gt;.step            F64, shape []   (per parameter, as state['step'])
 *                  optimizer.state.&lt;param&gt;.exp_avg         the parameter's dtype and shape
 *                  optimizer.state.&lt;param&gt;.exp_avg_sq
 *                  optimizer.state.&lt;param&gt;.max_exp_avg_sq  (amsgrad only)
 *   __metadata__   optimizer                 "Adam" | "AdamW"
 *                  optimizer.param_groups    JSON, as state_dict()['param_groups']: [{"lr", "betas", "eps", ...}]
 *                  scheduler                 "StepLR" | "ExponentialLR" | "WarmupCosineLR" | "ReduceLROnPlateau"
 *                  scheduler.*               counters and hyperparameters, e.g. scheduler.last_epoch
 * </pre>
 *
 * The model's own tensors use the plain state_dict names, so neither prefix can collide with them.
 */
public final class OptimizerState {
    private OptimizerState() {}

    /** Adds the optimizer's tensors and metadata, and the schedule's metadata when {@code schedule} is not null. */
    public static void write(SafeTensors.Writer out, Optimizer optimizer, LrSchedule schedule) {
        for (Map.Entry<String, Tensor> e : optimizer.stateTensors().entrySet()) {
            Tensor t = e.getValue().toHost();
            if (t.host().d != null) out.put(e.getKey(), t.shape(), t.host().d);
            else out.put(e.getKey(), t.shape(), t.host().f);
        }
        for (Map.Entry<String, String> e : optimizer.stateMetadata().entrySet()) out.metadata(e.getKey(), e.getValue());
        if (schedule != null)
            for (Map.Entry<String, String> e : schedule.stateMetadata().entrySet()) out.metadata(e.getKey(), e.getValue());
    }

    /**
     * Restores the optimizer (hyperparameters first, then per-parameter state) and, when not null, the
     * schedule. The optimizer's learning rate ends as the schedule saved it.
     */
    public static void read(SafeTensors in, Optimizer optimizer, LrSchedule schedule) {
        optimizer.loadStateMetadata(in.metadata());
        optimizer.loadStateTensors(tensors(in, Optimizer.STATE_PREFIX));
        if (schedule != null) schedule.loadStateMetadata(in.metadata());
    }

    /** The file's tensors whose names start with {@code prefix}, as F64 (widening F32 is exact). */
    public static Map<String, Tensor> tensors(SafeTensors in, String prefix) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (String name : in.names())
            if (name.startsWith(prefix)) out.put(name, Tensor.of(in.doubles(name), in.shape(name)));
        return out;
    }
}
