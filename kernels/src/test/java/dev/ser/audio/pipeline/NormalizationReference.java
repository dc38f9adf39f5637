package dev.ser.audio.pipeline;

/** Normalization.meanAndVariance (package-private in audio) opened to the kernel tests. */
public final class NormalizationReference {
    private NormalizationReference() {}

    public static void meanAndVariance(PaddedFeatures x, double[] mean, double[] var) {
        Normalization.meanAndVariance(x, mean, var);
    }
}
