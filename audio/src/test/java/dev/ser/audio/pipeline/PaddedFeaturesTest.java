package dev.ser.audio.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PaddedFeaturesTest {
    static final FeatureLayout TWO = FeatureConfig.defaults().with("deltas", List.of()).with("features", List.of("rms", "zcr")).layout();

    static FeatureMatrix rows(float[]... rows) {
        float[] d = new float[rows.length * 2];
        for (int t = 0; t < rows.length; t++) System.arraycopy(rows[t], 0, d, t * 2, 2);
        return new FeatureMatrix(d, rows.length, 2, TWO);
    }

    @Test
    void shortClipIsPaddedWithZeroRowsAndMasked() {
        PaddedFeatures p = PaddedFeatures.fit(rows(new float[] {1, 2}, new float[] {3, 4}), 4);
        assertArrayEquals(new float[] {1, 2, 3, 4, 0, 0, 0, 0}, p.data());
        assertEquals(2, p.validFrames());
        assertArrayEquals(new boolean[] {true, true, false, false}, p.mask());
        assertArrayEquals(new float[] {1, 1, 0, 0}, p.maskAsFloats());
    }

    @Test
    void longClipKeepsItsFirstFrames() {
        PaddedFeatures p = PaddedFeatures.fit(rows(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6}), 2);
        assertArrayEquals(new float[] {1, 2, 3, 4}, p.data());
        assertEquals(2, p.validFrames());
        assertArrayEquals(new boolean[] {true, true}, p.mask());
    }

    @Test
    void matrixTransposesToLibrosaOrientation() {
        FeatureMatrix m = rows(new float[] {1, 2}, new float[] {3, 4}, new float[] {5, 6});
        assertArrayEquals(new float[] {1, 3, 5, 2, 4, 6}, m.toFeaturesByFrames());
        assertArrayEquals(new float[] {2, 4, 6}, m.block("zcr"));
    }

    @Test
    void inconsistentSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PaddedFeatures(new float[6], 4, 2, 2));
        assertThrows(IllegalArgumentException.class, () -> new PaddedFeatures(new float[8], 4, 2, 5));
        assertThrows(IllegalArgumentException.class, () -> PaddedFeatures.fit(rows(new float[] {1, 2}), 0));
    }
}
