package dev.ser.engine.backend;

import dev.ser.engine.tensor.Tensor;

import java.util.List;

/**
 * What a backend's LSTM forward returns: y {@code [B, T, D*H]}, h_n and c_n {@code [L*D, B, H]}, and,
 * for a training forward, the backward through time over the workspace it kept (null for inference).
 */
public record LstmPass(Tensor y, Tensor hN, Tensor cN, Backward backward) {

    /**
     * Runs once. dy, dhN, dcN: the gradients of y, h_n, c_n (dhN/dcN may be null for zero). Overwrites dx,
     * dh0 and dc0 and ADDS into the weight gradients (PyTorch's flat-weights order, like .grad); any of
     * them may be null when not needed.
     */
    public interface Backward {
        void run(Tensor dy, Tensor dhN, Tensor dcN, Tensor dx, Tensor dh0, Tensor dc0, List<Tensor> weightGrads);
    }
}
