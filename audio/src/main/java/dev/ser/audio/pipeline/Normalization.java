package dev.ser.audio.pipeline;

/**
 * Feature normalization, the CPU reference for the GPU kernel: for every feature column f,
 *
 * <pre>
 *   shift[f] = (float) mean[f]
 *   scale[f] = (float) (1 / sqrt(var[f] + epsilon))          computed in double, then rounded once
 *   y[t, f]  = (x[t, f] - shift[f]) * scale[f]                in float, for valid frames t
 *   y[t, f]  = 0                                              for padded frames
 * </pre>
 *
 * where var is the <b>population</b> variance (divide by n, numpy's {@code var(ddof=0)}, scikit-learn's
 * StandardScaler): the statistics describe the frames at hand, not an estimate of a wider population, and
 * n is in the hundreds of thousands for dataset statistics, where n and n-1 agree to 6 digits anyway.
 * epsilon (default {@value #EPSILON}) sits inside the square root so that a constant column (a silent band,
 * chroma of a pure tone) maps to 0 instead of dividing by zero; it is 1e-5 as in PyTorch's BatchNorm and
 * LayerNorm, small beside the variance of any feature we compute (dB and MFCCs vary by tens).
 *
 * <p>Per-utterance normalization (cepstral mean and variance normalization, CMVN) takes mean and var over
 * the clip's own valid frames; dataset normalization takes them from {@link FeatureStats} of the training
 * set. Both leave padded frames at 0, so a zero row stays "nothing here" after normalization.
 */
public final class Normalization {
    private Normalization() {}

    public static final double EPSILON = 1e-5;

    /** Per-utterance mean and variance over the valid frames, then {@link #apply}. */
    public static PaddedFeatures perUtterance(PaddedFeatures x, double epsilon) {
        double[] mean = new double[x.width()], var = new double[x.width()];
        meanAndVariance(x, mean, var);
        return apply(x, mean, var, epsilon);
    }

    public static PaddedFeatures perUtterance(PaddedFeatures x) { return perUtterance(x, EPSILON); }

    /**
     * Two-pass population mean and variance over the valid frames (no padding), in double. Two passes,
     * not E[x^2] - E[x]^2, which loses every digit when the mean is large beside the spread (mel dB near -80).
     * With no valid frame both are 0.
     */
    static void meanAndVariance(PaddedFeatures x, double[] mean, double[] var) {
        int n = x.validFrames(), w = x.width();
        float[] d = x.data();
        if (n == 0) return;
        for (int t = 0; t < n; t++)
            for (int f = 0; f < w; f++) mean[f] += d[t * w + f];
        for (int f = 0; f < w; f++) mean[f] /= n;
        for (int t = 0; t < n; t++)
            for (int f = 0; f < w; f++) {
                double e = d[t * w + f] - mean[f];
                var[f] += e * e;
            }
        for (int f = 0; f < w; f++) var[f] /= n;
    }

    /** The formula in the class comment, with given statistics. Returns a new object; x is not changed. */
    public static PaddedFeatures apply(PaddedFeatures x, double[] mean, double[] var, double epsilon) {
        int w = x.width();
        if (mean.length != w || var.length != w)
            throw new IllegalArgumentException("statistics for " + mean.length + " features, the features have " + w
                    + " columns: were the statistics computed with a different feature config?");
        if (!(epsilon >= 0)) throw new IllegalArgumentException("epsilon must be >= 0; found " + epsilon);
        float[] shift = new float[w], scale = new float[w];
        for (int f = 0; f < w; f++) {
            shift[f] = (float) mean[f];
            scale[f] = (float) (1.0 / Math.sqrt(var[f] + epsilon));
            // A constant column with epsilon 0 would give 0 * inf = NaN; map it to 0 as epsilon > 0 does.
            if (Double.isInfinite(scale[f])) scale[f] = 0f;
        }
        float[] in = x.data(), out = new float[in.length]; // padded rows stay 0
        for (int t = 0; t < x.validFrames(); t++) {
            int row = t * w;
            for (int f = 0; f < w; f++) out[row + f] = (in[row + f] - shift[f]) * scale[f];
        }
        return new PaddedFeatures(out, x.maxFrames(), w, x.validFrames());
    }
}
