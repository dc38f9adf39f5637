package dev.ser.engine.backend;

import java.util.ArrayList;
import java.util.List;

/**
 * The shape of a PyTorch {@code nn.LSTM(input_size, hidden_size, num_layers, bidirectional=..,
 * batch_first=True)} and the names, order and shapes of its parameters.
 *
 * <p>Parameters travel as an array of flat arrays in PyTorch's {@code _flat_weights_names} order:
 * for each layer {@code l}, for each direction (forward, then {@code _reverse}):
 * {@code weight_ih_l{l}[4H, I_l]}, {@code weight_hh_l{l}[4H, H]}, {@code bias_ih_l{l}[4H]},
 * {@code bias_hh_l{l}[4H]}, all row-major, the 4H rows in gate order i, f, g, o. So a state_dict
 * read from PyTorch maps onto the kernel one name to one array, with no transposes or gate shuffles.
 *
 * <p>Activations use batch-first flat layouts: x {@code [B, T, I]}, y {@code [B, T, D*H]} (the
 * reverse direction's H columns after the forward's), h0/c0/h_n/c_n {@code [L*D, B, H]} indexed by
 * {@code layer * D + direction}, lengths {@code int[B]} with values in 1..T (null: all T).
 */
public record LstmConfig(int inputSize, int hiddenSize, int numLayers, boolean bidirectional) {

    /** Parameters per (layer, direction): weight_ih, weight_hh, bias_ih, bias_hh. */
    public static final int TENSORS_PER_DIRECTION = 4;

    public LstmConfig {
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1) {
            throw new IllegalArgumentException("LstmConfig needs inputSize, hiddenSize and numLayers >= 1, found inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize + ", numLayers=" + numLayers);
        }
    }

    /** D: 2 when bidirectional, else 1. */
    public int numDirections() { return bidirectional ? 2 : 1; }

    /** 4H: the rows of the stacked gate matrices (i, f, g, o). */
    public int gateSize() { return 4 * hiddenSize; }

    /** D*H: the last axis of y, and the input size of every layer after the first. */
    public int outputSize() { return numDirections() * hiddenSize; }

    /** I_l: inputSize for layer 0, D*H for the layers stacked on it. */
    public int layerInputSize(int layer) { return layer == 0 ? inputSize : outputSize(); }

    public int numWeights() { return numLayers * numDirections() * TENSORS_PER_DIRECTION; }

    /** Index of {@code weight_ih_l{layer}[_reverse]}; weight_hh, bias_ih, bias_hh follow at +1, +2, +3. */
    public int weightIndex(int layer, int direction) {
        return (layer * numDirections() + direction) * TENSORS_PER_DIRECTION;
    }

    /** PyTorch state_dict name (without the module prefix) of parameter {@code index}. */
    public String weightName(int index) {
        int dirIndex = index / TENSORS_PER_DIRECTION;
        int layer = dirIndex / numDirections();
        String suffix = dirIndex % numDirections() == 1 ? "_reverse" : "";
        String kind = switch (index % TENSORS_PER_DIRECTION) {
            case 0 -> "weight_ih";
            case 1 -> "weight_hh";
            case 2 -> "bias_ih";
            default -> "bias_hh";
        };
        return kind + "_l" + layer + suffix;
    }

    public List<String> weightNames() {
        List<String> names = new ArrayList<>(numWeights());
        for (int i = 0; i < numWeights(); i++) names.add(weightName(i));
        return names;
    }

    /** PyTorch shape of parameter {@code index}: [4H, I_l], [4H, H], [4H] or [4H]. */
    public int[] weightShape(int index) {
        int layer = index / TENSORS_PER_DIRECTION / numDirections();
        return switch (index % TENSORS_PER_DIRECTION) {
            case 0 -> new int[] {gateSize(), layerInputSize(layer)};
            case 1 -> new int[] {gateSize(), hiddenSize};
            default -> new int[] {gateSize()};
        };
    }

    public int weightElements(int index) {
        int n = 1;
        for (int d : weightShape(index)) n *= d;
        return n;
    }

    /** Throws with the offending name when {@code arrays} (double[][] or float[][]) do not fit this config. */
    public void checkWeights(Object[] arrays, String what) {
        if (arrays == null || arrays.length != numWeights()) {
            throw new IllegalArgumentException("expected " + numWeights() + " " + what + " arrays in order " + weightNames()
                    + ", found " + (arrays == null ? "null" : arrays.length));
        }
        for (int i = 0; i < arrays.length; i++) {
            int found = arrays[i] == null ? -1 : java.lang.reflect.Array.getLength(arrays[i]);
            if (found != weightElements(i)) {
                throw new IllegalArgumentException(what + " " + weightName(i) + ": expected " + weightElements(i)
                        + " elements " + java.util.Arrays.toString(weightShape(i)) + ", found "
                        + (found < 0 ? "null" : found));
            }
        }
    }

    /** Checks lengths (null allowed) against batch and steps; packed sequences need 1 <= lengths[b] <= T. */
    public static void checkLengths(int[] lengths, int batch, int steps) {
        if (batch < 1 || steps < 1) {
            throw new IllegalArgumentException("expected batch >= 1 and steps >= 1, found batch=" + batch + ", steps=" + steps);
        }
        if (lengths == null) return;
        if (lengths.length != batch) {
            throw new IllegalArgumentException("expected lengths for " + batch + " sequences, found " + lengths.length);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 1 || lengths[b] > steps) {
                throw new IllegalArgumentException("lengths[" + b + "] = " + lengths[b] + " is outside 1.." + steps
                        + " (packed sequences cannot be empty or longer than the padded time axis)");
            }
        }
    }

    public static void checkLength(String name, int found, long expected) {
        if (found != expected) {
            throw new IllegalArgumentException(name + ": expected " + expected + " elements, found " + found);
        }
    }
}
