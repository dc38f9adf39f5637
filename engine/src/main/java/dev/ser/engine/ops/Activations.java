package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.backend.Backend.UnaryOp;
import dev.ser.engine.tensor.Tensor;

/** Pointwise nonlinearities; each backward uses the cheaper of x and y = f(x) (see Backend#unaryGrad). */
public final class Activations {
    private Activations() {}

    private static Tensor unary(String name, UnaryOp op, Tensor x) {
        Tensor y = x.backend().unary(op, x);
        return Autograd.record(name, y, new Tensor[]{x}, g -> new Tensor[]{g.backend().unaryGrad(op, x, y, g)});
    }

    public static Tensor sigmoid(Tensor x) { return unary("sigmoid", UnaryOp.SIGMOID, x); }

    public static Tensor tanh(Tensor x) { return unary("tanh", UnaryOp.TANH, x); }

    public static Tensor relu(Tensor x) { return unary("relu", UnaryOp.RELU, x); }

    public static Tensor exp(Tensor x) { return unary("exp", UnaryOp.EXP, x); }

    public static Tensor log(Tensor x) { return unary("log", UnaryOp.LOG, x); }

    public static Tensor sqrt(Tensor x) { return unary("sqrt", UnaryOp.SQRT, x); }
}
