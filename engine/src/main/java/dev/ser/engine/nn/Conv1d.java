package dev.ser.engine.nn;

import dev.ser.engine.ops.MatMul;
import dev.ser.engine.ops.Reshape;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * PyTorch's {@code nn.Conv1d(in, out, kernel, padding=kernel // 2)} over time, on sequences laid out as the
 * LSTM takes them, [B, T, C] (channels last), stride 1, odd kernel: T frames in, T frames out.
 *
 * <pre>
 *   y[b, t, o] = bias[o] + sum_{j, c} weight[o, c, j] * x[b, t + j - k/2, c]      (x = 0 outside 0 .. T-1)
 * </pre>
 *
 * Built from the engine's ops (zero padding by concat, k shifted slices side by side: im2col, then one
 * GEMM), so every backend runs it and autograd differentiates it with no code of its own. Weight as
 * PyTorch stores it, [out, in, k], initialized as PyTorch does: uniform in ±1/sqrt(in * k).
 */
public final class Conv1d extends Module {
    public final int inChannels, outChannels, kernel;
    private final Tensor weight, bias;

    public Conv1d(int inChannels, int outChannels, int kernel, DType dtype, SplittableRandom rng) {
        if (kernel < 1 || kernel % 2 == 0) throw new IllegalArgumentException("Conv1d kernel must be odd (same-length output), got " + kernel);
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        double bound = 1 / Math.sqrt((double) inChannels * kernel);
        weight = Tensor.uniform(dtype, rng, -bound, bound, outChannels, inChannels, kernel).requiresGrad(true).name("weight");
        bias = Tensor.uniform(dtype, rng, -bound, bound, outChannels).requiresGrad(true).name("bias");
    }

    /** x [B, T, in] -> [B, T, out]. */
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.dim(2) != inChannels)
            throw new IllegalArgumentException("Conv1d(" + inChannels + " -> " + outChannels + ") takes [B, T, " + inChannels + "], got "
                    + java.util.Arrays.toString(x.shape()));
        int b = x.dim(0), t = x.dim(1), half = kernel / 2;
        Tensor padded = x;
        if (half > 0) {
            Tensor zeros = Tensor.zeros(x.backend(), x.dtype(), b, half, inChannels);
            padded = Reshape.concat(List.of(zeros, x, zeros), 1);
        }
        List<Tensor> shifted = new ArrayList<>(kernel);
        for (int j = 0; j < kernel; j++) shifted.add(padded.slice(1, j, j + t)); // column block j holds x[t + j - half]
        Tensor columns = (kernel == 1 ? x : Reshape.concat(shifted, 2)).reshape(b * t, kernel * inChannels);
        // [out, in, k] -> [out, k, in] -> [out, k * in]: the column order of the blocks above
        Tensor w = weight.permute(0, 2, 1).reshape(outChannels, kernel * inChannels);
        return MatMul.matmul(columns, w, false, true).add(bias).reshape(b, t, outChannels);
    }

    public Tensor weight() { return weight; }

    public Tensor bias() { return bias; }

    @Override public Map<String, Tensor> namedParameters() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("weight", weight);
        m.put("bias", bias);
        return m;
    }
}
