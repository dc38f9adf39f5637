package dev.ser.audio.resample;

/**
 * The fast version of {@link DirectResampler} for rational ratios: all weights precomputed, so each
 * output sample is one float dot product over contiguous taps and contiguous input.
 *
 * <p>With {@code srTo / srFrom = L / M} in lowest terms, output sample t sits at input time
 * {@code t * M / L}, whose fractional part is one of L phases {@code p / L}. resampy's weights depend
 * only on that fraction, so one table row per phase holds both wings laid out in input order:
 * row[j] multiplies {@code x[n - before + 1 + j]}, where n is the input sample at or before the
 * output instant. Rows are padded with zeros to a common length (a multiple of 16, which also lets
 * the vector loop run without a tail), and the input is zero-padded, which reproduces resampy's
 * clipping of the wings at the signal's ends.
 *
 * <p>One more row, phase L, copies resampy's floating-point clock: it computes
 * {@code t * (1 / ratio)} in double, and when the exact time is an integer that product can land just
 * below it, giving resampy n - 1 and a fraction of almost 1 instead of n and 0. The two weight sets
 * differ (the truncated {@code indexStep} makes the sampled filter slightly non-shift-invariant),
 * so we follow resampy's clock to the same row it would use.
 *
 * <p>Sizes: 48 kHz -> 16 kHz has L = 1 (2 rows of 304 taps); 44.1 kHz -> 16 kHz has L = 160 (161
 * rows of 288 taps, 185 KB); 22.05 kHz -> 16 kHz has L = 320.
 */
final class PolyphaseResampler {
    /** Above this many phases the table stops paying for itself; {@link Resampler} goes direct. */
    static final int MAX_PHASES = 4096;

    final int srFrom, srTo;
    final int phases;
    final int taps;
    final int before;
    final float[] table;
    private final double timeIncrement;

    PolyphaseResampler(int srFrom, int srTo) {
        this.srFrom = srFrom;
        this.srTo = srTo;
        int g = gcd(srFrom, srTo);
        phases = srTo / g;
        double sampleRatio = (double) srTo / srFrom;
        timeIncrement = 1.0 / sampleRatio;
        InterpolationFilter filter = new InterpolationFilter(sampleRatio);

        int maxLeft = 0, maxRight = 0;
        for (int p = 0; p <= phases; p++) {
            double frac = filter.scale * p / phases;
            maxLeft = Math.max(maxLeft, filter.wingLength(frac));
            maxRight = Math.max(maxRight, filter.wingLength(filter.scale - frac));
        }
        before = maxLeft;
        taps = (maxLeft + maxRight + 15) / 16 * 16;
        table = new float[(phases + 1) * taps];
        double[] w = new double[Math.max(maxLeft, maxRight)];
        for (int p = 0; p <= phases; p++) {
            double frac = filter.scale * p / phases;
            int row = p * taps;
            int left = filter.wing(frac, maxLeft, w);
            for (int i = 0; i < left; i++) table[row + before - 1 - i] = (float) w[i];
            int right = filter.wing(filter.scale - frac, maxRight, w);
            for (int k = 0; k < right; k++) table[row + before + k] = (float) w[k];
        }
    }

    /** resampy's {@code int(n * srTo / srFrom)} output samples. */
    float[] resample(float[] x) {
        int nOut = (int) DirectResampler.resampyLength(x.length, srFrom, srTo);
        float[] padded = new float[before + x.length + taps + 1];
        System.arraycopy(x, 0, padded, before, x.length);
        float[] y = new float[nOut];
        for (int t = 0; t < nOut; t++) y[t] = sample(padded, 0, t);
        return y;
    }

    /**
     * Output sample t. {@code padded[i]} holds padded index {@code origin + i}, where padded index =
     * input index + {@link #before}; it must cover padded indices {@code n + 1 .. n + taps}, n being
     * {@link #inputIndex}(t).
     */
    float sample(float[] padded, long origin, long t) {
        double time = t * timeIncrement;  // resampy's clock: np.arange(n_out) * time_increment
        long n = (long) time;
        int phase = (int) Math.round((time - n) * phases);
        // x[n - before + 1 + j] is padded index n + 1 + j
        return Dot.dot(table, phase * taps, padded, (int) (n + 1 - origin), taps);
    }

    /** The input sample at or before output t's instant, on resampy's clock. */
    long inputIndex(long t) {
        return (long) (t * timeIncrement);
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int r = a % b;
            a = b;
            b = r;
        }
        return a;
    }
}
