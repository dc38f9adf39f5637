package dev.ser.engine.parity;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.io.SafeTensors;
import dev.ser.engine.nn.CrossEntropy;
import dev.ser.engine.tensor.Tensor;

import java.util.List;
import java.util.Map;

/** module "cross_entropy": the mean loss (class weights, label smoothing) and its gradient. */
final class CrossEntropyCase {
    private CrossEntropyCase() {}

    static void run(SafeTensors st, Map<String, Object> c, Backend backend, List<Comparison> out) {
        Tensor logits = ParityCase.tensor(st, "input.logits", true, backend);
        Tensor weights = st.has("input.class_weights") ? ParityCase.tensor(st, "input.class_weights", false, backend) : null;
        double smoothing = c.get("label_smoothing") == null ? 0 : ParityCase.real(c, "label_smoothing");
        Tensor loss = new CrossEntropy(weights, smoothing).apply(logits, st.ints("input.targets"));
        loss.backward();
        ParityCase.compare(out, st, "output.loss", loss);
        ParityCase.compare(out, st, "grad.input.logits", logits.grad());
    }
}
