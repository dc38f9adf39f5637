package dev.ser.audio.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The two dot-product kernels agree, and how long each takes on the resampler's real workload
 * (44.1 kHz -> 16 kHz, 288 taps). Timing is printed, not asserted: the machine is shared.
 */
class DotTest {
    @Test
    void vectorAgreesWithScalar() {
        Random random = new Random(3);
        for (int n = 16; n <= 512; n += 16) {
            float[] a = new float[n + 5], b = new float[n + 9];
            for (int i = 0; i < a.length; i++) a[i] = (float) random.nextGaussian();
            for (int i = 0; i < b.length; i++) b[i] = (float) random.nextGaussian();
            double exact = 0;
            for (int j = 0; j < n; j++) exact += (double) a[5 + j] * b[9 + j];
            assertEquals(exact, Dot.scalar(a, 5, b, 9, n), 1e-4 * Math.sqrt(n));
            assertEquals(exact, Dot.vector(a, 5, b, 9, n), 1e-4 * Math.sqrt(n));
        }
    }

    @Test
    void timing() {
        PolyphaseResampler p = new PolyphaseResampler(44100, 16000);
        float[] x = new float[44100 * 10];
        Random random = new Random(5);
        for (int i = 0; i < x.length; i++) x[i] = (float) random.nextGaussian();
        float[] padded = new float[p.before + x.length + p.taps + 1];
        System.arraycopy(x, 0, padded, p.before, x.length);
        int nOut = 160000;
        for (String kind : new String[] {"scalar", "vector", "scalar", "vector"}) {  // second round: after JIT warm-up
            long t0 = System.nanoTime();
            float sink = 0;
            for (int t = 0; t < nOut; t++) {
                int n = (int) p.inputIndex(t);
                sink += kind.equals("scalar") ? Dot.scalar(p.table, 0, padded, n + 1, p.taps) : Dot.vector(p.table, 0, padded, n + 1, p.taps);
            }
            double ms = (System.nanoTime() - t0) / 1e6;
            System.out.printf("dot %s: 10 s of 44.1 kHz -> 16 kHz (%d x %d taps) in %.1f ms, %.2f GFLOP/s (sink %.1f)%n", kind,
                    nOut, p.taps, ms, 2.0 * nOut * p.taps / ms / 1e6, sink);
        }
    }
}
