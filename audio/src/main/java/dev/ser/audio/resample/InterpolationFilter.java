package dev.ser.audio.resample;

/**
 * The {@link KaiserBest} table prepared for one rate ratio, as {@code resampy.resample} prepares it.
 *
 * <p>Downsampling by r < 1 must also low-pass at the new Nyquist rate, so resampy stretches the sinc
 * by 1/r: it multiplies the table by r (unit DC gain) and walks it with a stride of
 * {@code indexStep = int(r * NUM_TABLE)} table points per input sample instead of NUM_TABLE. The
 * {@code int()} truncation is resampy's and is kept: it shifts the cutoff by under 1/8192 and
 * matching it is what makes our output agree with librosa's.
 *
 * <p>{@link #wing} evaluates one wing at a fractional position with linear interpolation between
 * table points ({@code win[o] + eta * delta[o]}), exactly resampy's {@code interpn.resample_f}.
 */
final class InterpolationFilter {
    final double[] win;
    final double[] delta;
    final int indexStep;
    final double scale;

    InterpolationFilter(double sampleRatio) {
        win = KaiserBest.halfWindow();
        if (sampleRatio < 1) for (int j = 0; j < win.length; j++) win[j] *= sampleRatio;
        delta = new double[win.length];
        for (int j = 0; j + 1 < win.length; j++) delta[j] = win[j + 1] - win[j];  // np.diff(..., append=win[-1])
        scale = Math.min(1.0, sampleRatio);
        indexStep = (int) (scale * KaiserBest.NUM_TABLE);
    }

    /** How many taps {@link #wing} yields at {@code frac}, before clipping at the signal's ends. */
    int wingLength(double frac) {
        int offset = (int) (frac * KaiserBest.NUM_TABLE);
        return (win.length - offset) / indexStep;
    }

    /**
     * The weights of one wing: tap i applies to the input sample i + frac/scale input samples away
     * from the output instant (left wing: {@code frac = scale * (t - n)}; right wing:
     * {@code scale - that}).
     *
     * @param out receives {@code min(count, wingLength(frac))} weights
     * @return how many weights were written
     */
    int wing(double frac, int count, double[] out) {
        double indexFrac = frac * KaiserBest.NUM_TABLE;
        int offset = (int) indexFrac;
        double eta = indexFrac - offset;
        int m = Math.min(count, (win.length - offset) / indexStep);
        for (int i = 0; i < m; i++) {
            int j = offset + i * indexStep;
            out[i] = win[j] + eta * delta[j];
        }
        return m;
    }
}
