package dev.ser.engine.io;

import dev.ser.engine.nn.Module;
import dev.ser.engine.optim.LrSchedule;
import dev.ser.engine.optim.Optimizer;
import dev.ser.engine.optim.OptimizerState;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A model's weights (PyTorch state_dict names, so {@code torch.load_file} + {@code load_state_dict}
 * reads them and vice versa), optionally the optimizer and schedule state, and string metadata, in one
 * safetensors file written atomically: a crash during a save leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    private Checkpoint() {}

    public static SafeTensors.Writer writer(Module model, Optimizer optimizer, LrSchedule schedule, Map<String, String> metadata) {
        SafeTensors.Writer w = new SafeTensors.Writer();
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) put(w, p.getKey(), p.getValue());
        if (optimizer != null) OptimizerState.write(w, optimizer, schedule);
        if (metadata != null) metadata.forEach(w::metadata);
        return w;
    }

    public static void save(Path file, Module model, Optimizer optimizer, LrSchedule schedule, Map<String, String> metadata) throws IOException {
        writer(model, optimizer, schedule, metadata).write(file);
    }

    public static void put(SafeTensors.Writer w, String name, Tensor t) {
        HostStorage h = t.toHost().host();
        if (h.d != null) w.put(name, t.shape(), h.d);
        else w.put(name, t.shape(), h.f);
    }

    /**
     * Copies the file's weights into {@code model}, converting F32/F64 as needed. Every parameter must be
     * present with its shape, and the file may hold no other model tensor: a mismatch is reported whole
     * (all missing, unexpected and mis-shaped names), and nothing is changed unless everything fits.
     */
    public static void loadWeights(SafeTensors file, Module model) {
        loadWeights(file, model, List.of());
    }

    /** As {@link #loadWeights(SafeTensors, Module)}, where tensors under {@code otherPrefixes} belong to the caller. */
    public static void loadWeights(SafeTensors file, Module model, List<String> otherPrefixes) {
        Map<String, Tensor> params = model.namedParameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            if (!file.has(p.getKey())) problems.add("missing " + p.getKey());
            else if (!Arrays.equals(file.shape(p.getKey()), p.getValue().shape()))
                problems.add(p.getKey() + " has shape " + Arrays.toString(file.shape(p.getKey())) + " in the file, the model expects "
                        + Arrays.toString(p.getValue().shape()));
        }
        for (String name : file.names())
            if (!params.containsKey(name) && !name.startsWith(Optimizer.STATE_PREFIX) && otherPrefixes.stream().noneMatch(name::startsWith))
                problems.add("unexpected " + name);
        if (!problems.isEmpty())
            throw new IllegalArgumentException("the checkpoint does not fit this model (" + problems.size() + " problem"
                    + (problems.size() > 1 ? "s" : "") + "): " + String.join("; ", problems.subList(0, Math.min(8, problems.size())))
                    + (problems.size() > 8 ? "; ..." : "") + ". Was it written for another model configuration?");
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor param = p.getValue();
            Backend home = param.backend();
            param.moveTo(CpuBackend.INSTANCE); // a device parameter comes to the host, takes the values, and goes back
            HostStorage h = param.host();
            if (param.dtype() == DType.F64) System.arraycopy(file.doubles(p.getKey()), 0, h.d, 0, h.d.length);
            else System.arraycopy(file.floats(p.getKey()), 0, h.f, 0, h.f.length);
            param.moveTo(home);
        }
    }

    /** Restores the optimizer and (when not null) the schedule saved by {@link #save}. */
    public static void loadTraining(SafeTensors file, Optimizer optimizer, LrSchedule schedule) {
        OptimizerState.read(file, optimizer, schedule);
    }
}
