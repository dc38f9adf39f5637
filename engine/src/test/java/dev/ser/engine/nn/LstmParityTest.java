package dev.ser.engine.nn;

import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;
import dev.ser.engine.testing.ReferenceCases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The LSTM module, both implementations, against PyTorch float64: outputs and every gradient of
 * loss = sum(y*ry) + sum(h_n*rh) + sum(c_n*rc), within 1e-9 relative per tensor.
 */
class LstmParityTest {
    static Stream<Arguments> cases() {
        return Stream.of("lstm_single_layer", "lstm_initial_state", "lstm_stacked_bidirectional_packed")
                .flatMap(c -> Stream.of(Arguments.of(c, LSTM.Impl.REFERENCE), Arguments.of(c, LSTM.Impl.FUSED)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void matchesPyTorch(String caseName, LSTM.Impl impl) {
        SafeTensors st = ReferenceCases.load(caseName);
        Map<String, Object> c = ReferenceCases.caseOf(st);
        int in = ((Number) c.get("input_size")).intValue(), hidden = ((Number) c.get("hidden_size")).intValue();
        int layers = ((Number) c.get("num_layers")).intValue();
        boolean bidir = (Boolean) c.get("bidirectional");
        LSTM lstm = new LSTM(in, hidden, layers, bidir, 0, DType.F64, new SplittableRandom(0)).impl(impl);
        for (Map.Entry<String, Tensor> p : lstm.namedParameters().entrySet())
            System.arraycopy(st.doubles("lstm." + p.getKey()), 0, p.getValue().host().d, 0, p.getValue().numel());
        Tensor x = ReferenceCases.tensor(st, "input.x", true);
        Tensor h0 = st.has("input.h0") ? ReferenceCases.tensor(st, "input.h0", true) : null;
        Tensor c0 = st.has("input.c0") ? ReferenceCases.tensor(st, "input.c0", true) : null;
        int[] lengths = st.has("input.lengths") ? st.ints("input.lengths") : null;

        LSTM.Output out = lstm.forward(x, lengths, h0, c0);
        Tensor loss = out.y().mul(ReferenceCases.tensor(st, "input.ry", false))
                .sum().add(out.hN().mul(ReferenceCases.tensor(st, "input.rh", false)).sum())
                .add(out.cN().mul(ReferenceCases.tensor(st, "input.rc", false)).sum());
        loss.backward();

        double worst = 0;
        StringBuilder report = new StringBuilder(caseName + " " + impl + ":\n");
        List<Object[]> pairs = new java.util.ArrayList<>(List.of(
                new Object[]{"output.y", out.y()}, new Object[]{"output.h_n", out.hN()}, new Object[]{"output.c_n", out.cN()},
                new Object[]{"output.loss", loss}, new Object[]{"grad.input.x", x.grad()}));
        if (h0 != null) pairs.add(new Object[]{"grad.input.h0", h0.grad()});
        if (c0 != null) pairs.add(new Object[]{"grad.input.c0", c0.grad()});
        for (Map.Entry<String, Tensor> p : lstm.namedParameters().entrySet())
            pairs.add(new Object[]{"grad.lstm." + p.getKey(), p.getValue().grad()});
        for (Object[] pair : pairs) {
            String name = (String) pair[0];
            double rel = ReferenceCases.relError(((Tensor) pair[1]).toDoubleArray(), st.doubles(name));
            report.append(String.format("  %-28s rel error %.3e%n", name, rel));
            worst = Math.max(worst, rel);
        }
        System.out.print(report);
        assertTrue(worst <= 1e-9, report.toString());
    }
}
