package dev.ser.engine.nn;

import dev.ser.engine.ops.Reshape;
import dev.ser.engine.tensor.DType;
import dev.ser.engine.tensor.Tensor;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Convolutions over time before the LSTM (a CRNN's front end): each layer is {@link Conv1d} (same length) ->
 * ReLU -> padded frames set back to 0 -> average pooling of {@code pool} consecutive frames (stride {@code pool},
 * the last window zero-filled: PyTorch's {@code AvgPool1d(pool, ceil_mode=True)} with padding counted). Local
 * filters see a few frames of the spectrum at once, which an LSTM fed frame by frame must learn to build up, and
 * pooling shortens the sequence the LSTM runs over by {@code pool} per layer (sequence lengths become
 * ceil(length / pool)).
 */
public final class ConvFrontEnd extends Module {
    /** The front end's output and each sequence's valid frames in it. */
    public record Output(Tensor y, int[] lengths) {}

    private final List<Conv1d> layers = new ArrayList<>();
    private final int pool;

    public ConvFrontEnd(int inputSize, List<Integer> channels, int kernel, int pool, DType dtype, SplittableRandom rng) {
        if (pool < 1) throw new IllegalArgumentException("conv pooling must be >= 1 (1 = none), got " + pool);
        this.pool = pool;
        int width = inputSize;
        for (int c : channels) {
            layers.add(new Conv1d(width, c, kernel, dtype, rng));
            width = c;
        }
    }

    public int outputSize(int inputSize) { return layers.isEmpty() ? inputSize : layers.getLast().outChannels; }

    /** Frames out of {@code frames} in. */
    public int outputLength(int frames) {
        for (int i = 0; i < layers.size(); i++) frames = (frames + pool - 1) / pool;
        return frames;
    }

    public Output forward(Tensor x, int[] lengths) {
        int[] len = lengths.clone();
        for (Conv1d conv : layers) {
            x = Masking.apply(conv.forward(x).relu(), len);
            if (pool > 1) {
                x = averagePool(x);
                for (int i = 0; i < len.length; i++) len[i] = (len[i] + pool - 1) / pool;
            }
        }
        return new Output(x, len);
    }

    private Tensor averagePool(Tensor x) {
        int b = x.dim(0), t = x.dim(1), c = x.dim(2), out = (t + pool - 1) / pool;
        if (out * pool > t) x = Reshape.concat(List.of(x, Tensor.zeros(x.backend(), x.dtype(), b, out * pool - t, c)), 1);
        return x.reshape(b, out, pool, c).mean(2, false);
    }

    @Override public Map<String, Tensor> namedParameters() { return collect(new LinkedHashMap<>()); }

    @Override protected Map<String, Module> children() {
        Map<String, Module> m = new LinkedHashMap<>();
        for (int i = 0; i < layers.size(); i++) m.put(Integer.toString(i), layers.get(i));
        return m;
    }
}
