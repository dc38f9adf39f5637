package dev.ser.audio.resample;

/**
 * resampy's {@code kaiser_best} interpolation filter, the one {@code librosa.resample(res_type=
 * 'kaiser_best')} uses (resampy 0.4.x, which librosa 0.10 calls): the right half of a
 * Kaiser-windowed sinc with 50 zero crossings, tabulated at 2^13 points per crossing.
 *
 * <p>resampy ships the table precomputed ({@code resampy/data/kaiser_best.npz}); its
 * {@code filters.py} docstring prints the parameters {@code scripts/create_filter.py} found
 * (beta 12.9846, rolloff 0.917347, 50 zeros, precision 13, -120 dB target), and
 * {@code resampy.filters.sinc_window} builds the table from them:
 * <pre>
 *   x[j]   = j / 8192,  j = 0 .. 50 * 8192                  (np.linspace(0, num_zeros, n + 1))
 *   h[j]   = rolloff * sinc(rolloff * x[j])                  (np.sinc: sin(pi x) / (pi x))
 *   w[j]   = I0(beta * sqrt(1 - (j / n)^2)) / I0(beta)       (right half of scipy.signal.kaiser(2n + 1, beta))
 *   win[j] = w[j] * h[j]
 * </pre>
 * The printed parameters are rounded to 6 digits, so this table is not the shipped one bit for bit;
 * resampling with it still matches librosa's output to about 130 dB SNR (ResamplerReferenceTest).
 *
 * <p>Not to be confused with torchaudio's "kaiser_best" preset (64 zeros, rolloff 0.9475937167399596,
 * beta 14.769656459379492), which copied an older resampy filter: against librosa 0.10 that one
 * gives only 26-28 dB SNR when downsampling.
 */
final class KaiserBest {
    private KaiserBest() {}

    static final int NUM_ZEROS = 50;
    /** Table points per zero crossing, 2^precision with precision = 13. */
    static final int NUM_TABLE = 1 << 13;
    static final double ROLLOFF = 0.917347;
    static final double BETA = 12.9846;

    /** The right wing, {@code NUM_ZEROS * NUM_TABLE + 1} values from rolloff at 0 down to ~0 at 50 crossings. */
    private static final double[] HALF_WINDOW = build();

    /** A fresh copy of the table, for a caller that scales it. */
    static double[] halfWindow() {
        return HALF_WINDOW.clone();
    }

    private static double[] build() {
        int n = NUM_ZEROS * NUM_TABLE;
        double[] win = new double[n + 1];
        double i0Beta = besselI0(BETA);
        for (int j = 0; j <= n; j++) {
            double x = ROLLOFF * ((double) j / NUM_TABLE);
            double sinc = j == 0 ? 1.0 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = (double) j / n;
            double taper = besselI0(BETA * Math.sqrt(Math.max(0.0, 1.0 - r * r))) / i0Beta;
            win[j] = taper * ROLLOFF * sinc;
        }
        return win;
    }

    /**
     * Modified Bessel function of the first kind, order 0, by its power series
     * {@code sum_k ((x/2)^k / k!)^2}. All terms are positive, so the sum has no cancellation; for
     * x <= 20 the terms fall below 1e-17 of the sum well before k = 60.
     */
    static double besselI0(double x) {
        double q = x * x / 4, term = 1, sum = 1;
        for (int k = 1; k < 200 && term > 1e-17 * sum; k++) {
            term *= q / ((double) k * k);
            sum += term;
        }
        return sum;
    }
}
