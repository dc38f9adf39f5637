package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.tensor.Tensor;

/** Softmax and log-softmax along an axis, max-subtracted so large logits cannot overflow. */
public final class Softmax {
    private Softmax() {}

    public static Tensor softmax(Tensor x, int axis) {
        Tensor y = x.backend().softmax(x, axis);
        return Autograd.record("softmax", y, new Tensor[]{x}, g -> new Tensor[]{g.backend().softmaxGrad(y, g, axis)});
    }

    public static Tensor logSoftmax(Tensor x, int axis) {
        Tensor y = x.backend().logSoftmax(x, axis);
        return Autograd.record("log_softmax", y, new Tensor[]{x}, g -> new Tensor[]{g.backend().logSoftmaxGrad(y, g, axis)});
    }
}
