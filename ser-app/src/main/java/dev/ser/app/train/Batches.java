package dev.ser.app.train;

import dev.ser.engine.tensor.Tensor;

import java.util.List;

/**
 * Packs examples into a batch tensor [B, T, F], where T is the longest example in the batch rather
 * than the model's maxFrames: the LSTM's cost is linear in T, so a batch of short clips runs faster.
 */
final class Batches {
    private Batches() {}

    record Batch(Tensor x, int[] lengths, int[] labels) {}

    static Batch of(List<Example> examples) {
        int b = examples.size(), width = examples.getFirst().width(), t = 0;
        for (Example e : examples) t = Math.max(t, e.frames());
        float[] x = new float[b * t * width];
        int[] lengths = new int[b], labels = new int[b];
        for (int i = 0; i < b; i++) {
            Example e = examples.get(i);
            System.arraycopy(e.features(), 0, x, i * t * width, e.frames() * width);
            lengths[i] = e.frames();
            labels[i] = e.label();
        }
        return new Batch(Tensor.of(x, b, t, width), lengths, labels);
    }
}
