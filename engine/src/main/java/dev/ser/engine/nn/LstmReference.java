package dev.ser.engine.nn;

import dev.ser.engine.ops.Reshape;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The LSTM built from primitive ops, one time step at a time; autograd differentiates it. Slow and
 * plain on purpose: it is the definition the fused kernel is checked against.
 *
 * <p>Per step, with gates in PyTorch's order:
 * <pre>
 *   [i f g o] = x_t W_ih^T + b_ih + h W_hh^T + b_hh
 *   i, f, o = sigmoid(.);  g = tanh(.)
 *   c' = f * c + i * g;    h' = o * tanh(c')
 * </pre>
 * Lengths: m_t = [t < length] per sequence; the state advances only where m_t = 1
 * (h = m h' + (1 - m) h), and the output is m h' (zero past the length). So the forward direction's
 * final state is its state at the last valid step, and the reverse direction, walking t = T-1..0, keeps
 * its initial state until t = length-1 and starts there: PyTorch's packed-sequence semantics.
 */
final class LstmReference {
    private LstmReference() {}

    static LSTM.Output forward(LSTM m, Tensor x, int[] lengths, Tensor h0, Tensor c0, List<Tensor> dropoutMasks) {
        int b = x.dim(0), steps = x.dim(1), hs = m.hiddenSize, dirs = m.directions();
        Tensor layerInput = x;
        List<Tensor> hN = new ArrayList<>(), cN = new ArrayList<>();
        for (int layer = 0; layer < m.numLayers; layer++) {
            List<Tensor> outputs = new ArrayList<>();
            for (int dir = 0; dir < dirs; dir++) {
                int k = layer * dirs + dir;
                String sfx = LSTM.suffix(layer, dir);
                Tensor wIh = m.param("weight_ih" + sfx), wHh = m.param("weight_hh" + sfx);
                Tensor bias = m.param("bias_ih" + sfx).add(m.param("bias_hh" + sfx));
                Tensor h = h0 == null ? Tensor.zeros(x.backend(), x.dtype(), b, hs) : Reshape.select(h0, 0, k);
                Tensor c = c0 == null ? Tensor.zeros(x.backend(), x.dtype(), b, hs) : Reshape.select(c0, 0, k);
                Tensor[] ys = new Tensor[steps];
                for (int s = 0; s < steps; s++) {
                    int t = dir == 0 ? s : steps - 1 - s;
                    Tensor xt = Reshape.select(layerInput, 1, t);
                    Tensor gates = xt.matmul(wIh.transpose(0, 1)).add(h.matmul(wHh.transpose(0, 1))).add(bias);
                    Tensor i = gates.slice(1, 0, hs).sigmoid();
                    Tensor f = gates.slice(1, hs, 2 * hs).sigmoid();
                    Tensor g = gates.slice(1, 2 * hs, 3 * hs).tanh();
                    Tensor o = gates.slice(1, 3 * hs, 4 * hs).sigmoid();
                    Tensor cNew = f.mul(c).add(i.mul(g));
                    Tensor hNew = o.mul(cNew.tanh());
                    Tensor active = activeMask(lengths, t, x);
                    Tensor idle = active.scale(-1).addScalar(1);
                    h = active.mul(hNew).add(idle.mul(h));
                    c = active.mul(cNew).add(idle.mul(c));
                    ys[t] = active.mul(hNew);
                }
                outputs.add(Reshape.stack(Arrays.asList(ys), 1));
                hN.add(h);
                cN.add(c);
            }
            layerInput = dirs == 1 ? outputs.getFirst() : Reshape.concat(outputs, 2);
            if (layer + 1 < m.numLayers && !dropoutMasks.isEmpty()) layerInput = layerInput.mul(dropoutMasks.get(layer));
        }
        return new LSTM.Output(layerInput, Reshape.stack(hN, 0), Reshape.stack(cN, 0));
    }

    /** [B, 1]: 1 where step t is within the sequence. */
    private static Tensor activeMask(int[] lengths, int t, Tensor like) {
        double[] a = new double[lengths.length];
        for (int i = 0; i < a.length; i++) a[i] = t < lengths[i] ? 1 : 0;
        return Tensor.of(like.dtype(), a, lengths.length, 1).to(like.backend());
    }
}
