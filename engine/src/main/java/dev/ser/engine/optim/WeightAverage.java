package dev.ser.engine.optim;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.Module;
import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The running mean of a model's weights over the points it is given: stochastic weight averaging (Izmailov et
 * al., "Averaging Weights Leads to Wider Optima and Better Generalization", 2018), as PyTorch's
 * {@code torch.optim.swa_utils.AveragedModel} with its default average: after n updates each parameter is the
 * arithmetic mean of its n values. Trained once an epoch, a model's weights wander around a basin; their mean
 * sits nearer its centre than any one epoch's does, so it should vary less with the epoch at which training stops.
 *
 * <p>The mean is kept on the host in float64 whatever the model's dtype (PyTorch keeps it in the parameter's
 * dtype; the two differ by float32 rounding), updated as {@code mean += (x - mean) / n}. The models here have no
 * batch normalization, so nothing needs recomputing after the weights are averaged ({@code update_bn}).
 */
public final class WeightAverage {
    /** Where {@link #write} puts the mean in a checkpoint, beside the model's own weights. */
    public static final String PREFIX = "swa.";
    private static final String COUNT = "swa.count";

    private final Map<String, double[]> mean = new LinkedHashMap<>();
    private int count;

    /** An empty average (no update yet) shaped as {@code model}'s parameters. */
    public WeightAverage(Module model) {
        for (Map.Entry<String, Tensor> p : model.namedParameters().entrySet()) mean.put(p.getKey(), new double[p.getValue().numel()]);
    }

    /** {@code model}'s weights as they are now: the average of one point, to put back with {@link #copyInto}. */
    public static WeightAverage snapshot(Module model) {
        WeightAverage s = new WeightAverage(model);
        s.update(model);
        return s;
    }

    /** How many points have been averaged. */
    public int count() { return count; }

    /** Adds {@code model}'s current weights to the mean. */
    public void update(Module model) {
        count++;
        for (Map.Entry<String, Tensor> p : parameters(model).entrySet()) {
            HostStorage h = p.getValue().toHost().host();
            double[] m = mean.get(p.getKey());
            for (int i = 0; i < m.length; i++) m[i] += (h.get(i) - m[i]) / count;
        }
    }

    /** Sets {@code model}'s weights to the mean (rounded to the model's dtype), wherever the model lives. */
    public void copyInto(Module model) {
        if (count == 0) throw new IllegalStateException("the weight average has no point yet");
        for (Map.Entry<String, Tensor> p : parameters(model).entrySet()) {
            Tensor param = p.getValue();
            Backend home = param.backend();
            param.moveTo(CpuBackend.INSTANCE); // as Checkpoint.loadWeights: to the host, the values, back
            HostStorage h = param.host();
            double[] m = mean.get(p.getKey());
            for (int i = 0; i < m.length; i++) h.set(i, m[i]);
            param.moveTo(home);
        }
    }

    /** Puts the mean under {@link #PREFIX} and its count in the metadata, for a checkpoint to carry it. */
    public void write(SafeTensors.Writer w, Module model) {
        for (Map.Entry<String, Tensor> p : parameters(model).entrySet())
            w.put(PREFIX + p.getKey(), p.getValue().shape(), mean.get(p.getKey()));
        w.metadata(COUNT, Integer.toString(count));
    }

    /** The average a checkpoint written by {@link #write} carries; an empty one when it carries none. */
    public static WeightAverage read(SafeTensors file, Module model) {
        WeightAverage a = new WeightAverage(model);
        String count = file.metadata().get(COUNT);
        if (count == null) return a;
        for (Map.Entry<String, double[]> m : a.mean.entrySet()) {
            double[] saved = file.doubles(PREFIX + m.getKey());
            if (saved.length != m.getValue().length)
                throw new IllegalArgumentException("the checkpoint's weight average of " + m.getKey() + " has " + saved.length
                        + " values, the model " + m.getValue().length);
            System.arraycopy(saved, 0, m.getValue(), 0, saved.length);
        }
        a.count = Integer.parseInt(count);
        return a;
    }

    /** The model's parameters, checked against the average's names and sizes (a different model is a bug, said whole). */
    private Map<String, Tensor> parameters(Module model) {
        Map<String, Tensor> params = model.namedParameters();
        List<String> problems = new ArrayList<>();
        if (!params.keySet().equals(mean.keySet())) problems.add("parameters " + params.keySet() + ", average " + mean.keySet());
        else
            for (Map.Entry<String, Tensor> p : params.entrySet())
                if (p.getValue().numel() != mean.get(p.getKey()).length)
                    problems.add(p.getKey() + " has " + p.getValue().numel() + " values, the average " + mean.get(p.getKey()).length
                            + " (shape " + Arrays.toString(p.getValue().shape()) + ")");
        if (!problems.isEmpty()) throw new IllegalArgumentException("the weight average was made for another model: " + String.join("; ", problems));
        return params;
    }
}
