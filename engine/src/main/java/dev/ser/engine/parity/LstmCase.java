package dev.ser.engine.parity;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.LSTM;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** module "LSTM": outputs and gradients of loss = sum(y*ry) + sum(h_n*rh) + sum(c_n*rc). */
final class LstmCase {
    private LstmCase() {}

    static void run(SafeTensors st, Map<String, Object> c, Backend backend, List<Comparison> out) {
        for (LSTM.Impl impl : LSTM.Impl.on(backend)) run(st, c, impl, backend, out);
    }

    static void run(SafeTensors st, Map<String, Object> c, LSTM.Impl impl, Backend backend, List<Comparison> out) {
        if (Boolean.FALSE.equals(c.get("batch_first"))) throw new IllegalArgumentException("only batch_first=True cases are supported");
        LSTM lstm = new LSTM(ParityCase.num(c, "input_size"), ParityCase.num(c, "hidden_size"), ParityCase.num(c, "num_layers"),
                Boolean.TRUE.equals(c.get("bidirectional")), 0, DType.F64, new SplittableRandom(0)).impl(impl);
        ParityCase.loadParameters(st, "lstm.", lstm.namedParameters());
        lstm.moveTo(backend);
        Tensor x = ParityCase.tensor(st, "input.x", true, backend);
        Tensor h0 = st.has("input.h0") ? ParityCase.tensor(st, "input.h0", true, backend) : null;
        Tensor c0 = st.has("input.c0") ? ParityCase.tensor(st, "input.c0", true, backend) : null;
        int[] lengths = st.has("input.lengths") ? st.ints("input.lengths") : null;
        LSTM.Output o = lstm.forward(x, lengths, h0, c0);
        Tensor loss = o.y().mul(ParityCase.tensor(st, "input.ry", false, backend)).sum()
                .add(o.hN().mul(ParityCase.tensor(st, "input.rh", false, backend)).sum())
                .add(o.cN().mul(ParityCase.tensor(st, "input.rc", false, backend)).sum());
        loss.backward();
        String tag = " [" + impl.name().toLowerCase() + "]";
        add(out, st, "output.y", o.y(), tag);
        add(out, st, "output.h_n", o.hN(), tag);
        add(out, st, "output.c_n", o.cN(), tag);
        add(out, st, "output.loss", loss, tag);
        add(out, st, "grad.input.x", x.grad(), tag);
        if (h0 != null) add(out, st, "grad.input.h0", h0.grad(), tag);
        if (c0 != null) add(out, st, "grad.input.c0", c0.grad(), tag);
        for (Map.Entry<String, Tensor> p : lstm.namedParameters().entrySet()) add(out, st, "grad.lstm." + p.getKey(), p.getValue().grad(), tag);
    }

    private static void add(List<Comparison> out, SafeTensors st, String name, Tensor ours, String tag) {
        if (!st.has(name)) return;
        Comparison cmp = Comparison.of(name, ours == null ? new double[st.doubles(name).length] : ours.toDoubleArray(), st.doubles(name));
        out.add(new Comparison(name + tag, cmp.elements(), cmp.maxAbsError(), cmp.relError(), cmp.worstIndex(), cmp.ours(), cmp.reference()));
    }
}
