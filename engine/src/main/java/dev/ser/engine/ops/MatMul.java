package dev.ser.engine.ops;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.Tensor;

/**
 * Batched matrix product over the last two axes, leading axes broadcast (as torch.matmul for rank >= 2).
 * For C = A B: dA = dC B^T and dB = A^T dC, each summed over the batch axes its operand was broadcast along.
 */
public final class MatMul {
    private MatMul() {}

    public static Tensor matmul(Tensor a, Tensor b) { return matmul(a, b, false, false); }

    /** op(a) x op(b), where op transposes the last two axes when asked (no copy is made). */
    public static Tensor matmul(Tensor a, Tensor b, boolean transA, boolean transB) {
        Backend k = a.backend();
        Tensor out = k.matmul(a, b, transA, transB);
        return Autograd.record("matmul", out, new Tensor[]{a, b}, g -> {
            Tensor da = null, db = null;
            if (a.requiresGrad()) {
                // C = op(A) op(B): d op(A) = dC op(B)^T; if op(A) = A^T then dA = (dC op(B)^T)^T = op(B) dC^T
                Tensor d = transA ? k.matmul(b, g, transB, true) : k.matmul(g, b, false, !transB);
                da = k.reduceTo(d, a.shape());
            }
            if (b.requiresGrad()) {
                Tensor d = transB ? k.matmul(g, a, true, transA) : k.matmul(a, g, !transA, false);
                db = k.reduceTo(d, b.shape());
            }
            return new Tensor[]{da, db};
        });
    }
}
