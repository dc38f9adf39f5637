package dev.ser.cuda.cudnn;

import dev.ser.engine.tensor.DType;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The arguments of a cuDNN LSTM call are checked before any descriptor is made, with messages that say what is wrong. */
class RnnShapeTest {
    private static String refused(Runnable r) { return assertThrows(IllegalArgumentException.class, r::run).getMessage(); }

    @Test void sizesLengthsAndDtypeAreChecked() {
        assertTrue(refused(() -> new RnnShape(DType.F32, 0, 4, 1, false, 2, 3, new int[]{3, 3}, false)).contains("inputSize=0"));
        assertTrue(refused(() -> new RnnShape(DType.F32, 2, 4, 1, false, 0, 3, new int[0], false)).contains("batch=0"));
        assertTrue(refused(() -> new RnnShape(DType.F32, 2, 4, 1, false, 2, 3, new int[]{3}, false)).contains("batch 2, found 1 lengths"));
        assertTrue(refused(() -> new RnnShape(DType.F32, 2, 4, 1, false, 2, 3, null, false)).contains("no lengths"));
        String tooLong = refused(() -> new RnnShape(DType.F64, 2, 4, 1, true, 2, 3, new int[]{3, 4}, false));
        assertTrue(tooLong.contains("lengths[1] = 4 is outside 1..3"), tooLong);
        assertTrue(refused(() -> new RnnShape(DType.F64, 2, 4, 1, true, 2, 3, new int[]{0, 3}, false)).contains("lengths[0] = 0"));
        assertTrue(refused(() -> new RnnShape(null, 2, 4, 1, true, 2, 3, new int[]{1, 3}, false)).contains("dtype"));
    }

    @Test void enumsFollowTheHeaders() {
        RnnShape f32 = new RnnShape(DType.F32, 2, 4, 2, true, 2, 3, new int[]{3, 1}, false);
        assertEquals(0, f32.dataType());                          // CUDNN_DATA_FLOAT
        assertEquals(3, f32.mathType());                          // CUDNN_FMA_MATH: no TF32 unless asked
        assertEquals(0, new RnnShape(DType.F32, 2, 4, 2, true, 2, 3, new int[]{3, 1}, true).mathType()); // CUDNN_DEFAULT_MATH
        RnnShape f64 = new RnnShape(DType.F64, 2, 4, 2, false, 2, 3, new int[]{3, 1}, false);
        assertEquals(1, f64.dataType());                          // CUDNN_DATA_DOUBLE
        assertEquals(0, f64.mathType());
        assertEquals(2, f32.numDirections());
    }

    @Test void lengthsAreCopied() {
        int[] lengths = {3, 1};
        RnnShape s = new RnnShape(DType.F32, 2, 4, 1, false, 2, 3, lengths, false);
        lengths[0] = 99;
        assertEquals(3, s.lengths()[0]);
        assertEquals(s, new RnnShape(DType.F32, 2, 4, 1, false, 2, 3, new int[]{3, 1}, false));
    }
}
