package dev.ser.audio.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The mel filterbank of {@code librosa.filters.mel(sr, n_fft, n_mels, fmin, fmax, htk, norm)}:
 * {@code n_mels} triangles over the {@code 1 + n_fft/2} FFT bins. Band {@code m} rises from mel point
 * {@code m} to {@code m+1} and falls to {@code m+2} (points evenly spaced in mel between fmin and fmax,
 * {@code n_mels + 2} of them); a bin at frequency f gets
 * {@code max(0, min((f - f[m]) / (f[m+1] - f[m]), (f[m+2] - f) / (f[m+2] - f[m+1])))}.
 * With {@code norm='slaney'} each band is scaled by {@code 2 / (f[m+2] - f[m])} so it has constant
 * area (energy) per Hz.
 *
 * <p>The weights are kept as librosa returns them (float32) plus, for applying, each band's non-zero
 * span of bins: a triangle touches a few bins of hundreds, so the product with a spectrum costs
 * O(total span) instead of O(n_mels * n_bins).
 */
public final class MelFilterbank {

    /** The band normalisation of librosa's {@code norm} argument. */
    public enum Norm { NONE, SLANEY }

    private final Matrix weights;
    private final int[] spanStart;
    private final int[] spanEnd;
    /**
     * For {@link #applyFrame}: the bands in groups of one vector's lanes (8 on AVX2); group g's weights over the
     * bins [groupFrom[g], groupTo[g]) its bands touch, transposed so that a bin's weights on the group's bands
     * sit side by side ({@code groupWeights[groupOffset[g] + (k - groupFrom[g]) * L + lane]}).
     */
    private final int[] groupFrom, groupTo, groupOffset;
    private final float[] groupWeights;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** librosa's defaults: Slaney scale, {@code fmin=0}, {@code fmax=sr/2}, {@code norm='slaney'}. */
    public MelFilterbank(double sr, int nFft, int nMels) {
        this(sr, nFft, nMels, 0.0, sr / 2, false, Norm.SLANEY);
    }

    /**
     * @param fmax  upper edge in Hz; pass {@code sr / 2} for librosa's {@code fmax=None}. Above Nyquist is
     *              allowed (librosa allows it too; the top bands then cover no bins and stay zero)
     * @param htk   {@code htk}: the HTK mel formula instead of Slaney's
     */
    public MelFilterbank(double sr, int nFft, int nMels, double fmin, double fmax, boolean htk, Norm norm) {
        if (sr <= 0) throw new IllegalArgumentException("sr must be > 0, got " + sr);
        if (nMels < 1) throw new IllegalArgumentException("n_mels must be >= 1, got " + nMels);
        if (!(fmin >= 0) || !(fmax > fmin))
            throw new IllegalArgumentException("need 0 <= fmin < fmax, got fmin=" + fmin + ", fmax=" + fmax);
        int bins = nFft / 2 + 1;
        double[] fftFreqs = Stft.fftFrequencies(sr, nFft);
        double[] melF = MelScale.melFrequencies(nMels + 2, fmin, fmax, htk);
        float[] w = new float[nMels * bins];
        spanStart = new int[nMels];
        spanEnd = new int[nMels];
        for (int m = 0; m < nMels; m++) {
            double lowerWidth = melF[m + 1] - melF[m], upperWidth = melF[m + 2] - melF[m + 1];
            double enorm = norm == Norm.SLANEY ? 2.0 / (melF[m + 2] - melF[m]) : 1.0;
            int first = -1, last = -1;
            for (int k = 0; k < bins; k++) {
                // Same operation order as librosa: ramps = mel_f - fft_freqs, lower = -ramps[m] / fdiff[m].
                double lower = -(melF[m] - fftFreqs[k]) / lowerWidth;
                double upper = (melF[m + 2] - fftFreqs[k]) / upperWidth;
                double v = Math.max(0.0, Math.min(lower, upper));
                if (v > 0) {
                    // librosa casts to float32 before the Slaney scaling: weights is a float32 array.
                    float f = (float) v;
                    if (norm == Norm.SLANEY) f = (float) (f * enorm);
                    w[m * bins + k] = f;
                    if (first < 0) first = k;
                    last = k;
                }
            }
            spanStart[m] = first < 0 ? 0 : first;
            spanEnd[m] = first < 0 ? 0 : last + 1;
        }
        weights = new Matrix(nMels, bins, w);
        int l = S.length(), groups = (nMels + l - 1) / l, size = 0;
        groupFrom = new int[groups];
        groupTo = new int[groups];
        groupOffset = new int[groups];
        for (int g = 0; g < groups; g++) {
            int from = bins, to = 0;
            for (int m = g * l; m < Math.min(nMels, (g + 1) * l); m++)
                if (spanEnd[m] > spanStart[m]) { from = Math.min(from, spanStart[m]); to = Math.max(to, spanEnd[m]); }
            groupFrom[g] = Math.min(from, to);
            groupTo[g] = to;
            groupOffset[g] = size;
            size += (to - groupFrom[g]) * l;
        }
        groupWeights = new float[size];
        for (int g = 0; g < groups; g++)
            for (int m = g * l; m < Math.min(nMels, (g + 1) * l); m++)
                for (int k = spanStart[m]; k < spanEnd[m]; k++)
                    groupWeights[groupOffset[g] + (k - groupFrom[g]) * l + (m - g * l)] = w[m * bins + k];
    }

    /** The weights, [n_mels, 1 + n_fft/2], as {@code librosa.filters.mel} returns them. */
    public Matrix weights() { return weights; }

    public int nMels() { return weights.rows(); }

    public int nBins() { return weights.cols(); }

    /** First bin with a non-zero weight in band m (0 for an empty band). */
    int spanStart(int m) { return spanStart[m]; }

    /** One past the last bin with a non-zero weight in band m (0 for an empty band). */
    int spanEnd(int m) { return spanEnd[m]; }

    /**
     * {@code weights · spectrum} for one frame: {@code spectrum} has 1 + n_fft/2 values, {@code out} at least
     * n_mels rounded up to whole vectors. The bands are the vector lanes: for each bin a group touches, its
     * power is broadcast and multiplied into the group's weights on that bin (a bin lies in at most two bands,
     * so the group's span is about the sum of its bands' half-spans). Four accumulators (bins k mod 4),
     * added pairwise at the end: a fixed order, so the same bits in every tier. About 2.5x faster than a scalar sum per
     * band with four chains (0.35 us a frame for 40 bands of a 512-point FFT), which was latency-bound on the
     * wide upper bands.
     */
    void applyFrame(float[] spectrum, float[] out) {
        int l = S.length();
        float[] gw = groupWeights;
        for (int g = 0; g < groupFrom.length; g++) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int k = groupFrom[g], to = groupTo[g], off = groupOffset[g] - k * l;
            for (; k + 3 < to; k += 4) {
                a0 = FloatVector.fromArray(S, gw, off + k * l).fma(FloatVector.broadcast(S, spectrum[k]), a0);
                a1 = FloatVector.fromArray(S, gw, off + (k + 1) * l).fma(FloatVector.broadcast(S, spectrum[k + 1]), a1);
                a2 = FloatVector.fromArray(S, gw, off + (k + 2) * l).fma(FloatVector.broadcast(S, spectrum[k + 2]), a2);
                a3 = FloatVector.fromArray(S, gw, off + (k + 3) * l).fma(FloatVector.broadcast(S, spectrum[k + 3]), a3);
            }
            for (; k < to; k++) a0 = FloatVector.fromArray(S, gw, off + k * l).fma(FloatVector.broadcast(S, spectrum[k]), a0);
            a0.add(a1).add(a2.add(a3)).intoArray(out, g * l);
        }
    }

    /** n_mels rounded up to whole vectors: the length {@link #applyFrame} writes. */
    int paddedBands() { return groupFrom.length * S.length(); }

    /** The reference for {@link #applyFrame}: one double sum per band. */
    void applyFramePlain(float[] spectrum, float[] out) {
        float[] w = weights.data();
        int bins = weights.cols();
        for (int m = 0; m < nMels(); m++) {
            double acc = 0;
            for (int k = spanStart[m], e = spanEnd[m], base = m * bins; k < e; k++) acc += w[base + k] * (double) spectrum[k];
            out[m] = (float) acc;
        }
    }

    /** {@code weights · S} for a whole spectrogram S of shape [1 + n_fft/2, n_frames]. */
    public Matrix apply(Matrix spectrogram) {
        if (spectrogram.rows() != nBins())
            throw new IllegalArgumentException("the filterbank covers " + nBins() + " FFT bins (n_fft=" + 2 * (nBins() - 1)
                    + "), the spectrogram has " + spectrogram.rows() + ": build both with the same n_fft");
        int frames = spectrogram.cols();
        Matrix out = Matrix.zeros(nMels(), frames);
        float[] s = spectrogram.data(), o = out.data(), w = weights.data();
        double[] acc = new double[frames];
        for (int m = 0; m < nMels(); m++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = spanStart[m]; k < spanEnd[m]; k++) {
                double wk = w[m * nBins() + k];
                for (int t = 0, base = k * frames; t < frames; t++) acc[t] += wk * s[base + t];
            }
            for (int t = 0; t < frames; t++) o[m * frames + t] = (float) acc[t];
        }
        return out;
    }
}
