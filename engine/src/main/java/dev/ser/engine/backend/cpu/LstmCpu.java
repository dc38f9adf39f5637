package dev.ser.engine.backend.cpu;

import dev.ser.engine.backend.LstmConfig;
import dev.ser.engine.backend.LstmPass;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.List;

/** The CPU backend's LSTM: tensors in, {@link LstmF32}/{@link LstmF64} on their arrays, tensors out. */
final class LstmCpu {
    private LstmCpu() {}

    static LstmPass run(LstmConfig config, List<Tensor> weights, Tensor x, int[] lengths, Tensor h0, Tensor c0,
                        List<Tensor> dropoutMasks, boolean training) {
        int b = x.dim(0), t = x.dim(1);
        int[] stateShape = {config.numLayers() * config.numDirections(), b, config.hiddenSize()};
        Tensor y = Tensor.zeros(x.dtype(), b, t, config.outputSize());
        Tensor hN = Tensor.zeros(x.dtype(), stateShape), cN = Tensor.zeros(x.dtype(), stateShape);
        if (x.dtype() == DType.F64) {
            LstmF64 kernel = new LstmF64(config);
            double[][] w = new double[weights.size()][];
            for (int i = 0; i < w.length; i++) w[i] = weights.get(i).host().d;
            double[][] masks = null;
            if (!dropoutMasks.isEmpty()) {
                masks = new double[dropoutMasks.size()][];
                for (int i = 0; i < masks.length; i++) masks[i] = dropoutMasks.get(i).host().d;
            }
            if (!training) {
                if (masks == null) kernel.infer(w, x.host().d, b, t, lengths, d(h0), d(c0), y.host().d, hN.host().d, cN.host().d);
                else kernel.forward(w, x.host().d, b, t, lengths, d(h0), d(c0), masks, y.host().d, hN.host().d, cN.host().d);
                return new LstmPass(y, hN, cN, null);
            }
            LstmF64.Workspace ws = kernel.forward(w, x.host().d, b, t, lengths, d(h0), d(c0), masks, y.host().d, hN.host().d, cN.host().d);
            return new LstmPass(y, hN, cN, (dy, dhN, dcN, dx, dh0, dc0, grads) -> {
                double[][] wg = new double[w.length][];
                for (int i = 0; i < wg.length; i++) wg[i] = grads == null || grads.get(i) == null ? new double[w[i].length] : grads.get(i).host().d;
                kernel.backward(ws, dy.host().d, d(dhN), d(dcN), d(dx), d(dh0), d(dc0), wg);
            });
        }
        LstmF32 kernel = new LstmF32(config);
        float[][] w = new float[weights.size()][];
        for (int i = 0; i < w.length; i++) w[i] = weights.get(i).host().f;
        float[][] masks = null;
        if (!dropoutMasks.isEmpty()) {
            masks = new float[dropoutMasks.size()][];
            for (int i = 0; i < masks.length; i++) masks[i] = dropoutMasks.get(i).host().f;
        }
        if (!training) {
            if (masks == null) kernel.infer(w, x.host().f, b, t, lengths, f(h0), f(c0), y.host().f, hN.host().f, cN.host().f);
            else kernel.forward(w, x.host().f, b, t, lengths, f(h0), f(c0), masks, y.host().f, hN.host().f, cN.host().f);
            return new LstmPass(y, hN, cN, null);
        }
        LstmF32.Workspace ws = kernel.forward(w, x.host().f, b, t, lengths, f(h0), f(c0), masks, y.host().f, hN.host().f, cN.host().f);
        return new LstmPass(y, hN, cN, (dy, dhN, dcN, dx, dh0, dc0, grads) -> {
            float[][] wg = new float[w.length][];
            for (int i = 0; i < wg.length; i++) wg[i] = grads == null || grads.get(i) == null ? new float[w[i].length] : grads.get(i).host().f;
            kernel.backward(ws, dy.host().f, f(dhN), f(dcN), f(dx), f(dh0), f(dc0), wg);
        });
    }

    private static double[] d(Tensor t) { return t == null ? null : t.host().d; }

    private static float[] f(Tensor t) { return t == null ? null : t.host().f; }
}
