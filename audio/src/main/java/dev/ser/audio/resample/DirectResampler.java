package dev.ser.audio.resample;

/**
 * The plain version: resampy's {@code interpn.resample_f} loop transcribed, one output sample at a
 * time, weights interpolated from the table on the fly, accumulated in double. It is the reference
 * {@link PolyphaseResampler} is tested against, and the path {@link Resampler} takes when the rate
 * ratio has too many phases to tabulate (e.g. 44100 -> 16001).
 *
 * <p>resampy accumulates into the float32 output array, rounding after every tap; accumulating in
 * double here differs from that by about 1e-7 relative, far below the 1e-3 (60 dB) we must match.
 */
final class DirectResampler {
    private DirectResampler() {}

    /** resampy's output: {@code int(n * srTo / srFrom)} samples (librosa pads to its own length later). */
    static float[] resample(float[] x, int srFrom, int srTo) {
        double sampleRatio = (double) srTo / srFrom;
        InterpolationFilter filter = new InterpolationFilter(sampleRatio);
        int nOut = (int) resampyLength(x.length, srFrom, srTo);
        double timeIncrement = 1.0 / sampleRatio;
        double[] w = new double[filter.win.length / filter.indexStep + 1];
        float[] y = new float[nOut];
        for (int t = 0; t < nOut; t++) {
            double time = t * timeIncrement;  // resampy: t_out = np.arange(n_out) * time_increment
            int n = (int) time;
            double frac = filter.scale * (time - n);
            double acc = 0;
            int left = filter.wing(frac, n + 1, w);
            for (int i = 0; i < left; i++) acc += w[i] * x[n - i];
            int right = filter.wing(filter.scale - frac, x.length - n - 1, w);
            for (int k = 0; k < right; k++) acc += w[k] * x[n + k + 1];
            y[t] = (float) acc;
        }
        return y;
    }

    /** {@code int(n * float(sr_new) / float(sr_orig))}, resampy's output length, same double operations. */
    static long resampyLength(long n, int srFrom, int srTo) {
        return (long) ((double) n * (double) srTo / (double) srFrom);
    }
}
