package dev.ser.engine.nn;

import dev.ser.engine.autograd.Autograd;
import dev.ser.engine.tensor.Tensor;

/**
 * Softmax cross-entropy as one fused, numerically stable op (PyTorch's {@code F.cross_entropy} with
 * reduction 'mean', class weights and label smoothing). The formulas are in
 * {@code dev.ser.engine.backend.cpu.CrossEntropyCpu}; the reference built from log_softmax is
 * {@link #reference}, and the tests hold the two together.
 */
public final class CrossEntropy {
    private final Tensor classWeights;
    private final double labelSmoothing;

    public CrossEntropy() { this(null, 0); }

    /** @param classWeights [C] or null; @param labelSmoothing in [0, 1] */
    public CrossEntropy(Tensor classWeights, double labelSmoothing) {
        this.classWeights = classWeights;
        this.labelSmoothing = labelSmoothing;
    }

    /** logits [N, C], targets N class indices: the mean loss, a scalar. */
    public Tensor apply(Tensor logits, int[] targets) {
        Tensor weights = classWeights == null || classWeights.dtype() == logits.dtype() ? classWeights : classWeights.detach().to(logits.dtype());
        Tensor[] lossAndGrad = logits.backend().softmaxCrossEntropy(logits, targets, weights, labelSmoothing);
        Tensor dLogits = lossAndGrad[1];
        return Autograd.record("cross_entropy", lossAndGrad[0], new Tensor[]{logits},
                g -> new Tensor[]{g.backend().affine(dLogits, g.item(), 0)});
    }

    /** The same loss from primitive ops (log_softmax, mul, sum), for checking the fused one. */
    public Tensor reference(Tensor logits, int[] targets) {
        int n = logits.dim(0), c = logits.dim(1);
        double[] oneHot = new double[n * c], w = new double[c], rowWeight = new double[n];
        double[] given = classWeights == null ? null : classWeights.toDoubleArray();
        for (int j = 0; j < c; j++) w[j] = given == null ? 1 : given[j];
        double total = 0;
        for (int i = 0; i < n; i++) {
            oneHot[i * c + targets[i]] = 1;
            rowWeight[i] = w[targets[i]];
            total += rowWeight[i];
        }
        // per-row target distribution times weights: (1-e) w[y] onehot + (e/C) w
        double[] q = new double[n * c];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < c; j++)
                q[i * c + j] = (1 - labelSmoothing) * rowWeight[i] * oneHot[i * c + j] + labelSmoothing / c * w[j];
        Tensor target = Tensor.of(logits.dtype(), q, n, c).to(logits.backend());
        return logits.logSoftmax(1).mul(target).sum().scale(-1.0 / total);
    }
}
