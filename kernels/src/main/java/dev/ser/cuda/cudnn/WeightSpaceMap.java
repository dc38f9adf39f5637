package dev.ser.cuda.cudnn;

import dev.ser.engine.backend.LstmConfig;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Where each of PyTorch's LSTM parameters lives in cuDNN's weight space, as PyTorch itself maps them
 * (aten/src/ATen/native/cudnn/RNN.cpp, {@code get_parameters}): pseudo-layer {@code layer * D + direction};
 * per pseudo-layer, cudnnGetRNNWeightParams' linLayerID 0-3 are the matrices of {@code weight_ih} for
 * the gates i, f, g, o (each [H, I_l], row-major, rows {@code gate*H ...} of ours) and 4-7 those of
 * {@code weight_hh} ([H, H]); the bias of linLayerID 0-3 is {@code bias_ih}'s gate slice, of 4-7
 * {@code bias_hh}'s. cuDNN's gate order (i, f, c, o) is PyTorch's (i, f, g, o), so nothing is transposed
 * or reordered: each block is one straight copy.
 *
 * <p>A pure function of cuDNN's answers, so that it can be tested without cuDNN: {@link Query} is
 * cudnnGetRNNWeightParams (byte offsets into the weight space and the reported tensor dims), and every
 * answer is checked (dims, alignment, bounds, no two blocks overlapping) before anything is copied.
 */
public final class WeightSpaceMap {
    private WeightSpaceMap() {}

    /** cuDNN's answer for one (pseudoLayer, linLayerID): byte offsets from the weight space's start (-1: none) and dims. */
    public record Param(long matrixOffset, int[] matrixDims, long biasOffset, int[] biasDims) {}

    /** cudnnGetRNNWeightParams, as a function. */
    @FunctionalInterface
    public interface Query {
        Param get(int pseudoLayer, int linLayerId);
    }

    /** Elements [weightOffset, weightOffset + elements) of our parameter {@code weightIndex} are the bytes at {@code spaceOffset}. */
    public record Block(int weightIndex, long weightOffset, long spaceOffset, long elements) {}

    private static final String GATES = "ifgo";

    /**
     * The blocks of layers {@code firstLayer .. firstLayer + layerCount - 1} of {@code config}, for a cuDNN
     * descriptor that holds just those layers (its pseudo-layer 0 is {@code firstLayer}'s forward direction).
     */
    public static List<Block> plan(LstmConfig config, int firstLayer, int layerCount, int elementBytes, long spaceBytes, Query query) {
        if (firstLayer < 0 || layerCount < 1 || firstLayer + layerCount > config.numLayers())
            throw new IllegalArgumentException("layers " + firstLayer + ".." + (firstLayer + layerCount - 1) + " of a "
                    + config.numLayers() + "-layer LSTM");
        int dirs = config.numDirections(), hidden = config.hiddenSize();
        List<Block> blocks = new ArrayList<>();
        for (int pseudo = 0; pseudo < layerCount * dirs; pseudo++) {
            int layer = firstLayer + pseudo / dirs, dir = pseudo % dirs;
            int w = config.weightIndex(layer, dir);
            for (int lin = 0; lin < CudnnConstants.LSTM_LINEAR_LAYERS; lin++) {
                boolean input = lin < 4;
                int gate = lin % 4;
                int cols = input ? config.layerInputSize(layer) : hidden;
                int matrixIndex = input ? w : w + 1, biasIndex = input ? w + 2 : w + 3;
                Param p = query.get(pseudo, lin);
                String where = "cudnnGetRNNWeightParams(pseudoLayer " + pseudo + ", linLayerID " + lin + ")";
                String matrixName = config.weightName(matrixIndex) + " gate " + GATES.charAt(gate);
                String biasName = config.weightName(biasIndex) + " gate " + GATES.charAt(gate);
                checkMatrixDims(p.matrixDims(), hidden, cols, where, matrixName);
                checkBiasDims(p.biasDims(), hidden, where, biasName);
                blocks.add(block(matrixIndex, (long) gate * hidden * cols, p.matrixOffset(), (long) hidden * cols,
                        elementBytes, spaceBytes, where, matrixName));
                blocks.add(block(biasIndex, (long) gate * hidden, p.biasOffset(), hidden, elementBytes, spaceBytes, where, biasName));
            }
        }
        checkDisjoint(blocks, elementBytes, config);
        return blocks;
    }

    /** cuDNN reports a gate's matrix as [1, H, cols] (leading dims 1). */
    private static void checkMatrixDims(int[] dims, int rows, int cols, String where, String name) {
        boolean ok = dims != null && dims.length >= 2 && dims[dims.length - 2] == rows && dims[dims.length - 1] == cols;
        for (int i = 0; ok && i < dims.length - 2; i++) ok = dims[i] == 1;
        if (!ok)
            throw new IllegalStateException(where + " describes " + name + " as " + Arrays.toString(dims) + "; expected [1, "
                    + rows + ", " + cols + "] (a gate's rows of PyTorch's matrix). The cuDNN weight layout is not the one this code knows.");
    }

    /** cuDNN reports a gate's bias as [1, H, 1]: H elements, every other dim 1. */
    private static void checkBiasDims(int[] dims, int hidden, String where, String name) {
        long product = 1;
        int notOne = 0;
        if (dims != null) for (int d : dims) { product *= d; if (d != 1) notOne++; }
        if (dims == null || product != hidden || notOne > 1)
            throw new IllegalStateException(where + " describes " + name + " as " + Arrays.toString(dims) + "; expected "
                    + hidden + " elements ([1, " + hidden + ", 1])");
    }

    private static Block block(int weightIndex, long weightOffset, long spaceOffset, long elements, int elementBytes,
                               long spaceBytes, String where, String name) {
        if (spaceOffset < 0)
            throw new IllegalStateException(where + " gives no address for " + name + " (the descriptor lacks it: is the bias mode CUDNN_RNN_DOUBLE_BIAS?)");
        if (spaceOffset % elementBytes != 0)
            throw new IllegalStateException(where + " puts " + name + " at byte " + spaceOffset + ", not a multiple of the element size " + elementBytes);
        if (spaceOffset + elements * elementBytes > spaceBytes)
            throw new IllegalStateException(where + " puts " + name + " (" + elements + " elements) at byte " + spaceOffset
                    + ", past the end of the " + spaceBytes + "-byte weight space");
        return new Block(weightIndex, weightOffset, spaceOffset, elements);
    }

    private static void checkDisjoint(List<Block> blocks, int elementBytes, LstmConfig config) {
        List<Block> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(Block::spaceOffset));
        for (int i = 1; i < sorted.size(); i++) {
            Block a = sorted.get(i - 1), b = sorted.get(i);
            if (a.spaceOffset() + a.elements() * elementBytes > b.spaceOffset())
                throw new IllegalStateException("cuDNN's weight space puts " + config.weightName(a.weightIndex()) + " (from element "
                        + a.weightOffset() + ") and " + config.weightName(b.weightIndex()) + " (from element " + b.weightOffset()
                        + ") in overlapping bytes " + a.spaceOffset() + " and " + b.spaceOffset());
        }
    }
}
