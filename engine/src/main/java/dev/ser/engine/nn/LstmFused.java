package dev.ser.engine.nn;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.backend.cpu.LstmConfig;
import dev.ser.engine.backend.cpu.LstmF32;
import dev.ser.engine.backend.cpu.LstmF64;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole LSTM as one node on the tape: the forward runs the fused CPU kernel (LstmF32 / LstmF64)
 * and keeps its workspace; the node's backward runs the kernel's hand-derived backward through time
 * and hands out dx, dh0, dc0 and every weight gradient at once.
 */
final class LstmFused {
    private LstmFused() {}

    static LSTM.Output forward(LSTM m, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> dropoutMasks) {
        LstmConfig config = new LstmConfig(m.inputSize, m.hiddenSize, m.numLayers, m.bidirectional);
        List<Tensor> weights = new ArrayList<>(m.namedParameters().values());
        int b = x.dim(0), t = x.dim(1);
        int[] stateShape = {m.numLayers * m.directions(), b, m.hiddenSize};
        Tensor y = Tensor.zeros(x.dtype(), b, t, m.directions() * m.hiddenSize);
        Tensor hN = Tensor.zeros(x.dtype(), stateShape), cN = Tensor.zeros(x.dtype(), stateShape);
        Tensor[] inputs = inputs(x, h0, c0, weights);
        boolean training = Autograd.needsGrad(inputs);
        if (x.dtype() == DType.F64) {
            LstmF64 kernel = new LstmF64(config);
            double[][] w = new double[weights.size()][];
            for (int i = 0; i < w.length; i++) w[i] = weights.get(i).host().d;
            double[][] masks = masksF64(dropoutMasks);
            if (!training) {
                if (masks == null) kernel.infer(w, x.host().d, b, t, lengths, d(h0), d(c0), y.host().d, hN.host().d, cN.host().d);
                else kernel.forward(w, x.host().d, b, t, lengths, d(h0), d(c0), masks, y.host().d, hN.host().d, cN.host().d);
                return new LSTM.Output(y, hN, cN);
            }
            LstmF64.Workspace ws = kernel.forward(w, x.host().d, b, t, lengths, d(h0), d(c0), masks, y.host().d, hN.host().d, cN.host().d);
            return record(m, inputs, y, hN, cN, (dy, dh, dc, grads) -> {
                double[][] wg = new double[weights.size()][];
                for (int i = 0; i < wg.length; i++) wg[i] = grads[3 + i] == null ? new double[w[i].length] : grads[3 + i].host().d;
                kernel.backward(ws, dy.host().d, dh.host().d, dc.host().d, d(grads[0]), d(grads[1]), d(grads[2]), wg);
            });
        }
        LstmF32 kernel = new LstmF32(config);
        float[][] w = new float[weights.size()][];
        for (int i = 0; i < w.length; i++) w[i] = weights.get(i).host().f;
        float[][] masks = masksF32(dropoutMasks);
        if (!training) {
            if (masks == null) kernel.infer(w, x.host().f, b, t, lengths, f(h0), f(c0), y.host().f, hN.host().f, cN.host().f);
            else kernel.forward(w, x.host().f, b, t, lengths, f(h0), f(c0), masks, y.host().f, hN.host().f, cN.host().f);
            return new LSTM.Output(y, hN, cN);
        }
        LstmF32.Workspace ws = kernel.forward(w, x.host().f, b, t, lengths, f(h0), f(c0), masks, y.host().f, hN.host().f, cN.host().f);
        return record(m, inputs, y, hN, cN, (dy, dh, dc, grads) -> {
            float[][] wg = new float[weights.size()][];
            for (int i = 0; i < wg.length; i++) wg[i] = grads[3 + i] == null ? new float[w[i].length] : grads[3 + i].host().f;
            kernel.backward(ws, dy.host().f, dh.host().f, dc.host().f, f(grads[0]), f(grads[1]), f(grads[2]), wg);
        });
    }

    /** Runs the kernel's backward: fills grads {dx, dh0, dc0, weight grads...} (null where not needed). */
    private interface KernelBackward {
        void run(Tensor dy, Tensor dhN, Tensor dcN, Tensor[] grads);
    }

    /**
     * The three outputs share one backward. The tape sees one node on y whose inputs are the LSTM's
     * inputs; h_n and c_n are recorded as views that route their gradients into that node through a
     * shared accumulator, so a loss may use any mix of y, h_n and c_n.
     */
    private static LSTM.Output record(LSTM m, Tensor[] inputs, Tensor y, Tensor hN, Tensor cN, KernelBackward backward) {
        SharedGrads shared = new SharedGrads(hN, cN);
        // h_n and c_n are produced from "y" on the tape: their nodes deposit their gradient and pass nothing on,
        // and y's node (which runs after them, since they depend on it) runs the kernel backward once.
        Tensor yOut = Autograd.record("lstm", y, inputs, dy -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++)
                if (inputs[i] != null && inputs[i].requiresGrad()) grads[i] = Tensor.zeros(inputs[i].dtype(), inputs[i].shape());
            backward.run(dy, shared.dh, shared.dc, grads);
            return grads;
        });
        Tensor hOut = Autograd.record("lstm_h_n", hN, new Tensor[]{yOut}, g -> {
            shared.dh = shared.dh.backend().binary(dev.ser.engine.backend.Backend.BinaryOp.ADD, shared.dh, g);
            return new Tensor[]{zerosLike(yOut)};
        });
        Tensor cOut = Autograd.record("lstm_c_n", cN, new Tensor[]{yOut}, g -> {
            shared.dc = shared.dc.backend().binary(dev.ser.engine.backend.Backend.BinaryOp.ADD, shared.dc, g);
            return new Tensor[]{zerosLike(yOut)};
        });
        return new LSTM.Output(yOut, hOut, cOut);
    }

    private static Tensor zerosLike(Tensor t) { return Tensor.zeros(t.dtype(), t.shape()); }

    private static final class SharedGrads {
        Tensor dh, dc;

        SharedGrads(Tensor hN, Tensor cN) {
            dh = zerosLike(hN);
            dc = zerosLike(cN);
        }
    }

    private static Tensor[] inputs(Tensor x, Tensor h0, Tensor c0, List<Tensor> weights) {
        Tensor[] in = new Tensor[3 + weights.size()];
        in[0] = x;
        in[1] = h0;
        in[2] = c0;
        for (int i = 0; i < weights.size(); i++) in[3 + i] = weights.get(i);
        return in;
    }

    private static double[] d(Tensor t) { return t == null ? null : t.host().d; }

    private static float[] f(Tensor t) { return t == null ? null : t.host().f; }

    private static double[][] masksF64(List<Tensor> masks) {
        if (masks.isEmpty()) return null;
        double[][] out = new double[masks.size()][];
        for (int i = 0; i < out.length; i++) out[i] = masks.get(i).host().d;
        return out;
    }

    private static float[][] masksF32(List<Tensor> masks) {
        if (masks.isEmpty()) return null;
        float[][] out = new float[masks.size()][];
        for (int i = 0; i < out.length; i++) out[i] = masks.get(i).host().f;
        return out;
    }
}
