package dev.ser.engine.backend.cpu;

import dev.ser.engine.tensor.HostStorage;
import dev.ser.engine.tensor.Tensor;

/**
 * Softmax cross-entropy, PyTorch 1.13 semantics ({@code F.cross_entropy(z, y, weight=w, label_smoothing=e)},
 * reduction 'mean'). With log-probabilities l = log_softmax(z), C classes and W = sum_i w[y_i] (N when
 * no weights are given):
 * <pre>
 *   loss = (1/W) sum_i [ (1-e) w[y_i] (-l[i,y_i]) + (e/C) sum_c w[c] (-l[i,c]) ]
 *   dloss/dz[i,j] = (1/W) [ (1-e) w[y_i] (p[i,j] - [j == y_i]) + (e/C) (p[i,j] sum_c w[c] - w[j]) ]
 * </pre>
 * The second line follows from d(-l[i,k])/dz[i,j] = p[i,j] - [j == k].
 */
final class CrossEntropyCpu {
    private CrossEntropyCpu() {}

    static Tensor[] forwardBackward(Tensor logits, int[] targets, Tensor classWeights, double eps) {
        if (logits.rank() != 2) throw new IllegalArgumentException("cross-entropy expects logits [N, C], got rank " + logits.rank());
        int n = logits.dim(0), c = logits.dim(1);
        if (targets.length != n) throw new IllegalArgumentException("cross-entropy: " + n + " rows of logits but " + targets.length + " targets");
        if (eps < 0 || eps > 1) throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + eps);
        double[] w = new double[c];
        if (classWeights == null) java.util.Arrays.fill(w, 1);
        else {
            if (classWeights.numel() != c) throw new IllegalArgumentException("class weights have " + classWeights.numel() + " entries for " + c + " classes");
            for (int j = 0; j < c; j++) w[j] = classWeights.host().get(j);
        }
        double wSum = 0;
        for (double v : w) wSum += v;
        double total = 0;
        for (int i = 0; i < n; i++) {
            if (targets[i] < 0 || targets[i] >= c)
                throw new IllegalArgumentException("target " + targets[i] + " at row " + i + " is not a class index in [0, " + c + ")");
            total += w[targets[i]];
        }
        if (!(total > 0)) throw new IllegalArgumentException("cross-entropy: the targets' class weights sum to " + total + "; nothing to average");
        HostStorage z = logits.host();
        Tensor grad = Tensor.zeros(logits.dtype(), n, c);
        HostStorage g = grad.host();
        double[] p = new double[c];
        double loss = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, z.get(row + j));
            double s = 0;
            for (int j = 0; j < c; j++) s += (p[j] = Math.exp(z.get(row + j) - max));
            double logS = Math.log(s);
            int y = targets[i];
            double smooth = 0;
            for (int j = 0; j < c; j++) {
                double logp = z.get(row + j) - max - logS;
                p[j] /= s;
                smooth += w[j] * -logp;
                if (j == y) loss += (1 - eps) * w[y] * -logp;
            }
            loss += eps / c * smooth;
            for (int j = 0; j < c; j++) {
                double d = (1 - eps) * w[y] * (p[j] - (j == y ? 1 : 0)) + eps / c * (p[j] * wSum - w[j]);
                g.set(row + j, d / total);
            }
        }
        return new Tensor[]{Tensor.of(logits.dtype(), new double[]{loss / total}), grad};
    }
}
