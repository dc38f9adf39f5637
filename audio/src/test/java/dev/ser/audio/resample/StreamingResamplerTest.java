package dev.ser.audio.resample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Chunked resampling must give exactly the whole-signal result, whatever the chunk sizes. */
class StreamingResamplerTest {
    private final Random random = new Random(11);

    @Test
    void chunksOfAnySizeGiveTheWholeSignalResult() {
        int[][] pairs = {{44100, 16000}, {48000, 16000}, {22050, 16000}, {8000, 22050}, {16000, 16000}};
        for (int[] p : pairs) {
            float[] x = new float[5000 + random.nextInt(3000)];
            for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
            Resampler r = Resampler.of(p[0], p[1]);
            float[] whole = r.resample(x);
            for (int maxChunk : new int[] {1, 7, 160, 4096, x.length}) {
                StreamingResampler s = r.stream();
                float[] out = new float[0];
                for (int at = 0; at < x.length; ) {
                    int len = Math.min(x.length - at, 1 + random.nextInt(maxChunk));
                    out = concat(out, s.push(Arrays.copyOfRange(x, at, at + len)));
                    at += len;
                }
                out = concat(out, s.finish());
                assertArrayEquals(whole, out, p[0] + " -> " + p[1] + ", chunks up to " + maxChunk);
            }
        }
    }

    @Test
    void finishEndsTheStream() {
        StreamingResampler s = Resampler.of(44100, 16000).stream();
        s.finish();
        assertThrows(IllegalStateException.class, () -> s.push(new float[3]));
    }

    private static float[] concat(float[] a, float[] b) {
        float[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
