package dev.ser.app.train;

import dev.ser.engine.autograd.GradMode;
import dev.ser.engine.nn.SequenceClassifier;
import dev.ser.engine.tensor.Tensor;

import java.util.List;

/**
 * Packs examples into a batch tensor [B, T, F], where T is the longest example in the batch rather
 * than the model's maxFrames: the LSTM's cost is linear in T, so a batch of short clips runs faster.
 */
public final class Batches {
    private Batches() {}

    /** x [B, T, F] zero-padded past each example's frames; lengths and labels per example. */
    public record Batch(Tensor x, int[] lengths, int[] labels) {}

    /** Class probabilities [N][C] from the model in evaluation mode (no dropout, no graph). */
    public static float[][] probabilities(SequenceClassifier model, List<Example> examples, int batchSize) {
        model.train(false);
        int classes = model.config().numClasses();
        float[][] out = new float[examples.size()][];
        try (GradMode ignored = GradMode.off()) {
            for (int from = 0; from < examples.size(); from += batchSize) {
                List<Example> items = examples.subList(from, Math.min(examples.size(), from + batchSize));
                Batch batch = of(items);
                float[] p = model.forward(batch.x().to(model.backend()), batch.lengths()).softmax(1).toFloatArray();
                for (int i = 0; i < items.size(); i++) out[from + i] = java.util.Arrays.copyOfRange(p, i * classes, (i + 1) * classes);
            }
        }
        return out;
    }

    public static Batch of(List<Example> examples) {
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
