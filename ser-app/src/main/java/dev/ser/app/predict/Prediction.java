package dev.ser.app.predict;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The model's answer for one clip.
 *
 * @param source        what was predicted on: a path, {@code "<stdin>"}, or the caller's name for an in-memory clip
 * @param labels        the model's class names, in output order
 * @param probabilities one per label, summing to 1: the softmax of the logits, averaged over the windows
 * @param frames        feature frames the clip has (10 ms each at the default hop)
 * @param windows       how many windows of the model's maxFrames were averaged: 1 when the clip fits
 * @param seconds       the clip's duration at the model's sample rate
 */
public record Prediction(String source, List<String> labels, double[] probabilities, int frames, int windows, double seconds) {
    public Prediction {
        labels = List.copyOf(labels);
        if (probabilities.length != labels.size())
            throw new IllegalArgumentException(probabilities.length + " probabilities for " + labels.size() + " labels");
    }

    /** Index of the most probable class; the first one on a tie, as numpy's argmax. */
    public int argmax() {
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) if (probabilities[i] > probabilities[best]) best = i;
        return best;
    }

    public String label() { return labels.get(argmax()); }

    public double confidence() { return probabilities[argmax()]; }

    /** Whether the clip was longer than one model window, so the answer averages several. */
    public boolean averaged() { return windows > 1; }

    /** The {@code k} most probable classes, most probable first (ties in label order). */
    public List<Integer> top(int k) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < probabilities.length; i++) order.add(i);
        order.sort(Comparator.comparingDouble((Integer i) -> -probabilities[i]));
        return List.copyOf(order.subList(0, Math.min(k, order.size())));
    }

    public double probability(String label) {
        int i = labels.indexOf(label);
        if (i < 0) throw new IllegalArgumentException("no class '" + label + "'; the classes are " + labels);
        return probabilities[i];
    }
}
