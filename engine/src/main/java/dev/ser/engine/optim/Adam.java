package dev.ser.engine.optim;

import dev.ser.engine.backend.AdamUpdate;
import dev.ser.engine.io.Json;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adam as {@code torch.optim.Adam} in PyTorch 1.13 (the single-tensor path, which CPU tensors take),
 * operation for operation so that F64 matches PyTorch's float64 to rounding:
 *
 * <pre>
 *   step += 1                                  (per parameter, like state['step'])
 *   g = grad + weight_decay * p                (only when weight_decay != 0: L2 in the gradient)
 *   exp_avg    = exp_avg * beta1 + (1 - beta1) * g
 *   exp_avg_sq = exp_avg_sq * beta2 + (1 - beta2) * g * g
 *   max_exp_avg_sq = max(max_exp_avg_sq, exp_avg_sq)            (amsgrad only; then used below)
 *   step_size = lr / (1 - beta1^step)
 *   denom = sqrt(exp_avg_sq) / sqrt(1 - beta2^step) + eps
 *   p = p + (-step_size * exp_avg) / denom     (addcdiv_ with value = -step_size)
 * </pre>
 *
 * The association of each product follows ATen's CPU kernels (addcmul: {@code self + value*t1*t2},
 * addcdiv: {@code self + value*t1/t2}), which is why the lines read as they do. F32 parameters are
 * updated in float arithmetic with the scalars rounded to float first, as PyTorch does for float32
 * tensors. {@link AdamW} differs only in where the weight decay enters. This class computes the scalars;
 * the element loop is the backend's ({@code Backend.adamUpdate}: backend/cpu/AdamCpu, and the CUDA kernel
 * checked against it), so parameters and state stay on the device that holds them.
 */
public class Adam extends Optimizer {
    /** PyTorch's per-parameter state dict: step, exp_avg, exp_avg_sq and, with amsgrad, max_exp_avg_sq. */
    private static final class State {
        long step;
        Tensor expAvg, expAvgSq, maxExpAvgSq;
    }

    private static final List<String> FIELDS = List.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private double beta1, beta2, eps, weightDecay;
    private boolean amsgrad;
    private final boolean decoupledWeightDecay;
    private final Map<String, State> state = new LinkedHashMap<>();

    /** PyTorch's defaults: betas (0.9, 0.999), eps 1e-8, no weight decay, no amsgrad. */
    public Adam(Map<String, Tensor> params, double lr) { this(params, lr, 0.9, 0.999, 1e-8, 0, false); }

    public Adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        this(params, lr, beta1, beta2, eps, weightDecay, amsgrad, false);
    }

    /** For {@link AdamW}: {@code decoupledWeightDecay} multiplies p by (1 - lr*wd) instead of adding wd*p to g. */
    protected Adam(Map<String, Tensor> params, double lr, double beta1, double beta2, double eps, double weightDecay,
                   boolean amsgrad, boolean decoupledWeightDecay) {
        super(params, lr);
        this.decoupledWeightDecay = decoupledWeightDecay;
        setHyperparameters(beta1, beta2, eps, weightDecay, amsgrad);
    }

    private void setHyperparameters(double beta1, double beta2, double eps, double weightDecay, boolean amsgrad) {
        // The same checks and wording as torch.optim.Adam's constructor.
        if (!(eps >= 0)) throw new IllegalArgumentException("Invalid epsilon value: " + eps);
        if (!(beta1 >= 0 && beta1 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 0: " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) throw new IllegalArgumentException("Invalid beta parameter at index 1: " + beta2);
        if (!(weightDecay >= 0)) throw new IllegalArgumentException("Invalid weight_decay value: " + weightDecay);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        this.amsgrad = amsgrad;
    }

    @Override public String type() { return decoupledWeightDecay ? "AdamW" : "Adam"; }

    public double beta1() { return beta1; }
    public double beta2() { return beta2; }
    public double eps() { return eps; }
    public double weightDecay() { return weightDecay; }
    public boolean amsgrad() { return amsgrad; }

    /** How many updates parameter {@code name} has had (its state['step']); 0 before its first gradient. */
    public long step(String name) {
        State s = state.get(name);
        return s == null ? 0 : s.step;
    }

    @Override public void step() {
        for (Map.Entry<String, Tensor> e : params().entrySet()) {
            Tensor p = e.getValue();
            Tensor g = p.grad();
            if (g == null) continue;
            State s = state.computeIfAbsent(e.getKey(), k -> newState(p));
            s.step++;
            // State loaded from a run without amsgrad: start the running max now (PyTorch would fail with a KeyError).
            if (amsgrad && s.maxExpAvgSq == null) s.maxExpAvgSq = s.expAvgSq.copy();
            // Scalars in double, as PyTorch computes them in Python floats.
            double biasCorrection1 = 1 - Math.pow(beta1, s.step);
            double biasCorrection2 = 1 - Math.pow(beta2, s.step);
            double stepSize = lr() / biasCorrection1;
            double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
            double decay = decoupledWeightDecay ? 1 - lr() * weightDecay : 1;
            double l2 = decoupledWeightDecay ? 0 : weightDecay;
            AdamUpdate update = new AdamUpdate(beta1, beta2, eps, decay, l2, stepSize, biasCorrection2Sqrt);
            p.backend().adamUpdate(update, p, g, s.expAvg, s.expAvgSq, s.maxExpAvgSq);
        }
    }

    private State newState(Tensor p) {
        State s = new State();
        s.expAvg = p.backend().zeros(p.dtype(), p.shape());
        s.expAvgSq = p.backend().zeros(p.dtype(), p.shape());
        if (amsgrad) s.maxExpAvgSq = p.backend().zeros(p.dtype(), p.shape());
        return s;
    }


    // ---- checkpoint state ------------------------------------------------------------------

    @Override public Map<String, Tensor> stateTensors() {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, State> e : state.entrySet()) {
            String key = STATE_PREFIX + e.getKey() + ".";
            State s = e.getValue();
            out.put(key + "step", Tensor.scalar(DType.F64, s.step)); // PyTorch keeps step as a 0-d tensor too
            out.put(key + "exp_avg", s.expAvg.copy().toHost());
            out.put(key + "exp_avg_sq", s.expAvgSq.copy().toHost());
            if (s.maxExpAvgSq != null) out.put(key + "max_exp_avg_sq", s.maxExpAvgSq.copy().toHost());
        }
        return out;
    }

    @Override public void loadStateTensors(Map<String, Tensor> tensors) {
        Map<String, Map<String, Tensor>> byParam = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (!e.getKey().startsWith(STATE_PREFIX)) continue;
            String rest = e.getKey().substring(STATE_PREFIX.length());
            int dot = rest.lastIndexOf('.');
            String name = dot < 0 ? rest : rest.substring(0, dot), field = dot < 0 ? "" : rest.substring(dot + 1);
            if (!params().containsKey(name))
                throw new IllegalArgumentException("checkpoint has optimizer state '" + e.getKey() + "' for parameter '" + name
                        + "', which this optimizer does not hold (it holds: " + String.join(", ", params().keySet())
                        + "); was the checkpoint written for another model?");
            if (!FIELDS.contains(field))
                throw new IllegalArgumentException("checkpoint has optimizer state '" + e.getKey() + "' with unknown field '" + field
                        + "'; " + type() + " keeps " + FIELDS);
            byParam.computeIfAbsent(name, k -> new LinkedHashMap<>()).put(field, e.getValue());
        }
        Map<String, State> loaded = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Tensor>> e : byParam.entrySet()) {
            Tensor p = params().get(e.getKey());
            Map<String, Tensor> f = e.getValue();
            String where = STATE_PREFIX + e.getKey() + ".";
            for (String need : amsgrad ? FIELDS : FIELDS.subList(0, 3))
                if (!f.containsKey(need))
                    throw new IllegalArgumentException("checkpoint lacks '" + where + need + "'"
                            + (need.equals("max_exp_avg_sq") ? " (this optimizer has amsgrad=true; was it saved with amsgrad=false?)" : ""));
            double step = f.get("step").item();
            if (!(step >= 0) || step != Math.rint(step))
                throw new IllegalArgumentException("'" + where + "step' is " + step + ", expected a whole number >= 0");
            State s = new State();
            s.step = (long) step;
            s.expAvg = converted(f.get("exp_avg"), p, where + "exp_avg");
            s.expAvgSq = converted(f.get("exp_avg_sq"), p, where + "exp_avg_sq");
            if (amsgrad) s.maxExpAvgSq = converted(f.get("max_exp_avg_sq"), p, where + "max_exp_avg_sq");
            loaded.put(e.getKey(), s);
        }
        state.clear();
        state.putAll(loaded);
    }

    /** A fresh tensor in the parameter's dtype holding {@code t}'s values. */
    private static Tensor converted(Tensor t, Tensor p, String name) {
        if (!Arrays.equals(t.shape(), p.shape()))
            throw new IllegalArgumentException("'" + name + "' has shape " + Arrays.toString(t.shape()) + ", its parameter has "
                    + Arrays.toString(p.shape()));
        Tensor host = p.dtype() == DType.F64 ? Tensor.of(t.toDoubleArray(), p.shape()) : Tensor.of(t.toFloatArray(), p.shape());
        return p.backend().to(host);
    }

    @Override public Map<String, String> stateMetadata() {
        // One group, written as PyTorch's state_dict()['param_groups'] would be.
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", lr());
        group.put("betas", List.of(beta1, beta2));
        group.put("eps", eps);
        group.put("weight_decay", weightDecay);
        group.put("amsgrad", amsgrad);
        Map<String, String> out = new LinkedHashMap<>();
        out.put(PREFIX, type());
        out.put(PREFIX + ".param_groups", Json.write(List.of(group)));
        return out;
    }

    @Override public void loadStateMetadata(Map<String, String> metadata) {
        String saved = metadata.get(PREFIX), groups = metadata.get(PREFIX + ".param_groups");
        if (saved == null || groups == null)
            throw new IllegalArgumentException("checkpoint metadata has no optimizer state (keys '" + PREFIX + "' and '" + PREFIX
                    + ".param_groups'); was it saved without the optimizer?");
        if (!saved.equals(type()))
            throw new IllegalArgumentException("checkpoint holds " + saved + " state, this optimizer is " + type()
                    + "; build a " + saved + " to resume it");
        Object parsed = Json.parse(groups);
        if (!(parsed instanceof List<?> list) || list.size() != 1 || !(list.get(0) instanceof Map<?, ?> g))
            throw new IllegalArgumentException("'" + PREFIX + ".param_groups' should be a list of one group, found: " + groups);
        List<?> betas = (List<?>) g.get("betas");
        double newLr = number(g, "lr");
        setHyperparameters(((Number) betas.get(0)).doubleValue(), ((Number) betas.get(1)).doubleValue(), number(g, "eps"),
                number(g, "weight_decay"), Boolean.TRUE.equals(g.get("amsgrad")));
        setLr(newLr);
    }

    private static double number(Map<?, ?> group, String key) {
        if (!(group.get(key) instanceof Number n))
            throw new IllegalArgumentException("'" + PREFIX + ".param_groups' lacks a number '" + key + "': " + group);
        return n.doubleValue();
    }
}
