package dev.ser.cuda.cudnn;

import dev.ser.engine.backend.LstmConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The PyTorch -> cuDNN weight mapping against a pretend cudnnGetRNNWeightParams: a weight space laid out
 * differently from ours (biases first, gates in reverse, gaps between blocks), filled through the plan from
 * parameters whose every element is distinct, then read back the way cuDNN reads it: linLayerID k's matrix
 * must be rows (k % 4) * H .. of weight_ih (k < 4) or weight_hh (k >= 4) of the pseudo-layer's (layer, direction).
 */
class WeightSpaceMapTest {
    private static final int ELEMENT = 8; // bytes, as float64

    /** A pretend cuDNN layout: per pseudo-layer, the 8 biases then the 8 matrices, gates in reverse order, 3 elements of gap after each. */
    private record FakeSpace(Map<String, WeightSpaceMap.Param> params, long bytes) {
        static FakeSpace of(LstmConfig c, int firstLayer, int layerCount) {
            Map<String, WeightSpaceMap.Param> params = new HashMap<>();
            int h = c.hiddenSize(), d = c.numDirections();
            long at = 64; // something before the first block
            long[] bias = new long[8];
            for (int pseudo = 0; pseudo < layerCount * d; pseudo++) {
                int layer = firstLayer + pseudo / d;
                for (int lin = 7; lin >= 0; lin--) { bias[lin] = at; at += (long) (h + 3) * ELEMENT; }
                for (int lin = 7; lin >= 0; lin--) {
                    int cols = lin < 4 ? c.layerInputSize(layer) : h;
                    params.put(pseudo + "/" + lin, new WeightSpaceMap.Param(at, new int[]{1, h, cols}, bias[lin], new int[]{1, h, 1}));
                    at += ((long) h * cols + 3) * ELEMENT;
                }
            }
            return new FakeSpace(params, at);
        }

        WeightSpaceMap.Query query() { return (pseudo, lin) -> params.get(pseudo + "/" + lin); }
    }

    /** Parameter i's element e is 1000 * i + e + 1 (nonzero, distinct). */
    private static double[][] parameters(LstmConfig c) {
        double[][] w = new double[c.numWeights()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = new double[c.weightElements(i)];
            for (int e = 0; e < w[i].length; e++) w[i][e] = 100000.0 * i + e + 1;
        }
        return w;
    }

    private static void checkRoundTrip(LstmConfig c, int firstLayer, int layerCount) {
        FakeSpace fake = FakeSpace.of(c, firstLayer, layerCount);
        List<WeightSpaceMap.Block> blocks = WeightSpaceMap.plan(c, firstLayer, layerCount, ELEMENT, fake.bytes(), fake.query());
        assertEquals(layerCount * c.numDirections() * 16, blocks.size(), "one matrix and one bias per linLayerID");
        double[][] ours = parameters(c);
        double[] space = new double[(int) (fake.bytes() / ELEMENT)];
        for (WeightSpaceMap.Block b : blocks)
            System.arraycopy(ours[b.weightIndex()], (int) b.weightOffset(), space, (int) (b.spaceOffset() / ELEMENT), (int) b.elements());
        // Read back as cuDNN would: the gate's matrix, row-major [H, cols], and its bias.
        int h = c.hiddenSize();
        for (int pseudo = 0; pseudo < layerCount * c.numDirections(); pseudo++) {
            int layer = firstLayer + pseudo / c.numDirections(), dir = pseudo % c.numDirections();
            int w = c.weightIndex(layer, dir);
            for (int lin = 0; lin < 8; lin++) {
                WeightSpaceMap.Param p = fake.params().get(pseudo + "/" + lin);
                int gate = lin % 4, cols = lin < 4 ? c.layerInputSize(layer) : h;
                double[] matrix = ours[lin < 4 ? w : w + 1], bias = ours[lin < 4 ? w + 2 : w + 3];
                for (int r = 0; r < h; r++)
                    for (int col = 0; col < cols; col++)
                        assertEquals(matrix[(gate * h + r) * cols + col], space[(int) (p.matrixOffset() / ELEMENT) + r * cols + col],
                                "pseudo " + pseudo + " lin " + lin + " row " + r + " col " + col);
                for (int r = 0; r < h; r++)
                    assertEquals(bias[gate * h + r], space[(int) (p.biasOffset() / ELEMENT) + r], "bias of pseudo " + pseudo + " lin " + lin);
            }
        }
        // Every element of the parameters covered went somewhere exactly once.
        long covered = blocks.stream().mapToLong(WeightSpaceMap.Block::elements).sum();
        long expected = 0;
        for (int l = firstLayer; l < firstLayer + layerCount; l++)
            for (int d = 0; d < c.numDirections(); d++)
                for (int k = 0; k < 4; k++) expected += c.weightElements(c.weightIndex(l, d) + k);
        assertEquals(expected, covered);
    }

    @Test void wholeStackBidirectional() { checkRoundTrip(new LstmConfig(5, 4, 2, true), 0, 2); }

    @Test void wholeStackUnidirectional() { checkRoundTrip(new LstmConfig(3, 7, 3, false), 0, 3); }

    @Test void oneLayerOfAStackForMaskedCalls() {
        LstmConfig c = new LstmConfig(5, 4, 3, true);
        for (int layer = 0; layer < 3; layer++) checkRoundTrip(c, layer, 1); // layer 1+ reads D*H = 8 features
    }

    @Test void inputSizeOneAndHiddenSizeOne() { checkRoundTrip(new LstmConfig(1, 1, 2, true), 0, 2); }

    private static WeightSpaceMap.Query changed(FakeSpace fake, int pseudo, int lin, WeightSpaceMap.Param replacement) {
        return (p, l) -> p == pseudo && l == lin ? replacement : fake.params().get(p + "/" + l);
    }

    @Test void wrongMatrixDimsAreRefusedNamingTheParameter() {
        LstmConfig c = new LstmConfig(5, 4, 1, false);
        FakeSpace fake = FakeSpace.of(c, 0, 1);
        WeightSpaceMap.Param p = fake.params().get("0/5");
        var e = assertThrows(IllegalStateException.class, () -> WeightSpaceMap.plan(c, 0, 1, ELEMENT, fake.bytes(),
                changed(fake, 0, 5, new WeightSpaceMap.Param(p.matrixOffset(), new int[]{1, 4, 5}, p.biasOffset(), p.biasDims()))));
        assertTrue(e.getMessage().contains("weight_hh_l0 gate f"), e.getMessage());
        assertTrue(e.getMessage().contains("[1, 4, 5]") && e.getMessage().contains("expected [1, 4, 4]"), e.getMessage());
    }

    @Test void missingMisalignedOutOfBoundsAndOverlappingBlocksAreRefused() {
        LstmConfig c = new LstmConfig(2, 3, 1, true);
        FakeSpace fake = FakeSpace.of(c, 0, 1);
        WeightSpaceMap.Param p = fake.params().get("1/2");
        String missing = assertThrows(IllegalStateException.class, () -> WeightSpaceMap.plan(c, 0, 1, ELEMENT, fake.bytes(),
                changed(fake, 1, 2, new WeightSpaceMap.Param(p.matrixOffset(), p.matrixDims(), -1, p.biasDims())))).getMessage();
        assertTrue(missing.contains("bias_ih_l0_reverse gate g") && missing.contains("CUDNN_RNN_DOUBLE_BIAS"), missing);
        String misaligned = assertThrows(IllegalStateException.class, () -> WeightSpaceMap.plan(c, 0, 1, ELEMENT, fake.bytes(),
                changed(fake, 1, 2, new WeightSpaceMap.Param(p.matrixOffset() + 4, p.matrixDims(), p.biasOffset(), p.biasDims())))).getMessage();
        assertTrue(misaligned.contains("not a multiple of the element size 8"), misaligned);
        String outside = assertThrows(IllegalStateException.class, () -> WeightSpaceMap.plan(c, 0, 1, ELEMENT, fake.bytes(),
                changed(fake, 1, 2, new WeightSpaceMap.Param(fake.bytes() - ELEMENT, p.matrixDims(), p.biasOffset(), p.biasDims())))).getMessage();
        assertTrue(outside.contains("past the end"), outside);
        WeightSpaceMap.Param other = fake.params().get("0/0");
        String overlap = assertThrows(IllegalStateException.class, () -> WeightSpaceMap.plan(c, 0, 1, ELEMENT, fake.bytes(),
                changed(fake, 1, 2, new WeightSpaceMap.Param(other.matrixOffset() + ELEMENT, p.matrixDims(), p.biasOffset(), p.biasDims())))).getMessage();
        assertTrue(overlap.contains("overlapping"), overlap);
        assertThrows(IllegalArgumentException.class, () -> WeightSpaceMap.plan(c, 1, 1, ELEMENT, fake.bytes(), fake.query()));
    }
}
