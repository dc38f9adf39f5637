package dev.ser.audio.features;

/**
 * Vocal tract length perturbation (VTLP; Jaitly &amp; Hinton, 2013, "Vocal Tract Length Perturbation (VTLP)
 * improves speech recognition", eq. 1): the frequency axis of a power spectrogram stretched by a factor
 * {@code alpha}, as if a shorter ({@code alpha > 1}) or longer ({@code alpha < 1}) vocal tract had spoken. Below a
 * boundary frequency the warp is {@code f -> alpha f}; above it a straight line takes the rest of the band to
 * Nyquist, so the band's edges stay where they were:
 *
 * <pre>
 *   f' = alpha f                                                             f &lt;= F_hi min(alpha, 1) / alpha
 *   f' = S/2 - (S/2 - F_hi min(alpha, 1)) / (S/2 - F_hi min(alpha, 1) / alpha) (S/2 - f)     otherwise
 * </pre>
 *
 * with {@code S} the sample rate and {@code F_hi = 4800} Hz as in the paper. Unlike speed perturbation it leaves
 * the tempo and the waveform's pitch alone: only what the mel filterbank sees moves (formants and, with them,
 * the harmonics in that view). The paper warps the filterbank's centre frequencies; warping the spectrum it reads
 * is the same map, done once per clip for every band.
 */
public final class VocalTractWarp {
    /** The paper's boundary frequency, Hz: the warp is a pure scaling below it. */
    public static final double BOUNDARY_HZ = 4800;

    private VocalTractWarp() {}

    /** Where frequency {@code f} (Hz) goes under the warp {@code alpha} (eq. 1). */
    public static double warp(double f, double alpha, int sampleRate) {
        double nyquist = sampleRate / 2.0, knee = BOUNDARY_HZ * Math.min(alpha, 1);
        if (f <= knee / alpha) return alpha * f;
        return nyquist - (nyquist - knee) / (nyquist - knee / alpha) * (nyquist - f);
    }

    /** The inverse of {@link #warp}: the frequency that lands on {@code f}. */
    public static double source(double f, double alpha, int sampleRate) {
        double nyquist = sampleRate / 2.0, knee = BOUNDARY_HZ * Math.min(alpha, 1);
        if (f <= knee) return f / alpha;
        return nyquist - (nyquist - knee / alpha) / (nyquist - knee) * (nyquist - f);
    }

    /**
     * The power spectrogram ([nFft/2 + 1 bins x frames]) with its frequency axis warped: bin {@code k} of the result
     * holds the power found at {@code source(f_k)}, interpolated linearly between the two nearest bins. A new matrix;
     * {@code alpha == 1} gives a copy.
     */
    public static Matrix apply(Matrix power, double alpha, int sampleRate) {
        if (!(alpha > 0.5 && alpha < 2)) throw new IllegalArgumentException("a VTLP factor must be in (0.5, 2) (e.g. 0.9-1.1); got " + alpha);
        int bins = power.rows(), frames = power.cols(), last = bins - 1;
        if (bins < 2) throw new IllegalArgumentException("a spectrogram needs at least 2 frequency bins, got " + bins);
        double binHz = sampleRate / 2.0 / last;
        float[] in = power.data(), out = new float[in.length];
        for (int k = 0; k < bins; k++) {
            double pos = Math.min(last, source(k * binHz, alpha, sampleRate) / binHz);
            int lo = (int) Math.floor(pos), hi = Math.min(last, lo + 1);
            float w = (float) (pos - lo);
            for (int t = 0, a = lo * frames, b = hi * frames, o = k * frames; t < frames; t++)
                out[o + t] = (1 - w) * in[a + t] + w * in[b + t];
        }
        return new Matrix(bins, frames, out);
    }
}
