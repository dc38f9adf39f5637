package dev.ser.engine.nn;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The whole LSTM as one node on the tape: the forward runs the backend's fused LSTM (on the CPU,
 * LstmF32 / LstmF64) and keeps its workspace; the node's backward runs the backend's backward through
 * time and hands out dx, dh0, dc0 and every weight gradient at once.
 */
final class LstmFused {
    private LstmFused() {}

    static LSTM.Output forward(LSTM m, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> dropoutMasks) {
        LstmConfig config = new LstmConfig(m.inputSize, m.hiddenSize, m.numLayers, m.bidirectional);
        List<Tensor> weights = new ArrayList<>(m.namedParameters().values());
        Tensor[] inputs = inputs(x, h0, c0, weights);
        boolean training = Autograd.needsGrad(inputs);
        Backend backend = x.backend();
        LstmPass pass = backend.lstm(config, m.impl().algorithm, weights, x, lengths, h0, c0, dropoutMasks, training);
        if (!training) return new LSTM.Output(pass.y(), pass.hN(), pass.cN());
        return record(inputs, pass);
    }

    /**
     * The three outputs share one backward. The tape sees one node on y whose inputs are the LSTM's
     * inputs; h_n and c_n are recorded as views that route their gradients into that node through a
     * shared accumulator, so a loss may use any mix of y, h_n and c_n.
     */
    private static LSTM.Output record(Tensor[] inputs, LstmPass pass) {
        SharedGrads shared = new SharedGrads();
        // h_n and c_n are produced from "y" on the tape: their nodes deposit their gradient and pass nothing on,
        // and y's node (which runs after them, since they depend on it) runs the kernel backward once.
        Tensor yOut = Autograd.record("lstm", pass.y(), inputs, dy -> {
            Tensor[] grads = new Tensor[inputs.length];
            for (int i = 0; i < inputs.length; i++)
                if (inputs[i] != null && inputs[i].requiresGrad()) grads[i] = zerosLike(inputs[i]);
            List<Tensor> weightGrads = Arrays.asList(grads).subList(3, grads.length);
            pass.backward().run(dy, shared.dh, shared.dc, grads[0], grads[1], grads[2], weightGrads);
            return grads;
        });
        Tensor hOut = Autograd.record("lstm_h_n", pass.hN(), new Tensor[]{yOut}, g -> {
            shared.dh = shared.dh == null ? g : g.backend().binary(Backend.BinaryOp.ADD, shared.dh, g);
            return new Tensor[]{zerosLike(yOut)};
        });
        Tensor cOut = Autograd.record("lstm_c_n", pass.cN(), new Tensor[]{yOut}, g -> {
            shared.dc = shared.dc == null ? g : g.backend().binary(Backend.BinaryOp.ADD, shared.dc, g);
            return new Tensor[]{zerosLike(yOut)};
        });
        return new LSTM.Output(yOut, hOut, cOut);
    }

    private static Tensor zerosLike(Tensor t) { return t.backend().zeros(t.dtype(), t.shape()); }

    /** dL/dh_n and dL/dc_n as their nodes deliver them; null (zero) when the loss does not use them. */
    private static final class SharedGrads {
        Tensor dh, dc;
    }

    private static Tensor[] inputs(Tensor x, Tensor h0, Tensor c0, List<Tensor> weights) {
        Tensor[] in = new Tensor[3 + weights.size()];
        in[0] = x;
        in[1] = h0;
        in[2] = c0;
        for (int i = 0; i < weights.size(); i++) in[3 + i] = weights.get(i);
        return in;
    }
}
