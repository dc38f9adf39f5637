package dev.ser.audio.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code librosa.feature.mfcc(S=log_mel, n_mfcc, dct_type=2, norm='ortho', lifter)}: the orthonormal
 * DCT-II of each frame's log-mel vector, first {@code n_mfcc} coefficients, optionally liftered.
 *
 * <p>DCT-II with {@code norm='ortho'} (scipy.fftpack): for M mel bands,
 * {@code c[k] = s_k sum_m x[m] cos(pi k (2m + 1) / (2M))} with {@code s_0 = sqrt(1/M)} and
 * {@code s_k = sqrt(2/M)} for k > 0. Liftering multiplies coefficient k by
 * {@code 1 + (lifter / 2) sin(pi (k + 1) / lifter)} (librosa's sinusoidal lifter; 0 disables it).
 * Both are folded into one precomputed [n_mfcc, n_mels] matrix, so a call is one small matrix product:
 * {@link #fromLogMel} in float fma over time with the Vector API, {@link #fromLogMelPlain} (the reference
 * beside it) in double; {@code FastPathsTest} holds them to float rounding of each other.
 */
public final class Mfcc {

    private final int nMfcc;
    private final int nMels;
    private final int lifter;
    /** [n_mfcc, n_mels], row-major, DCT basis times lifter weight. */
    private final double[] basis;
    /** The same, rounded to float for the vector product. */
    private final float[] basisF;
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** No liftering (librosa's {@code lifter=0}). */
    public Mfcc(int nMfcc, int nMels) { this(nMfcc, nMels, 0); }

    public Mfcc(int nMfcc, int nMels, int lifter) {
        if (nMels < 1) throw new IllegalArgumentException("n_mels must be >= 1, got " + nMels);
        if (nMfcc < 1 || nMfcc > nMels)
            throw new IllegalArgumentException("n_mfcc must be in [1, n_mels=" + nMels + "], got " + nMfcc
                    + ": the DCT of n_mels bands has n_mels coefficients");
        if (lifter < 0) throw new IllegalArgumentException("MFCC lifter=" + lifter + " must be a non-negative number (0 disables it)");
        this.nMfcc = nMfcc;
        this.nMels = nMels;
        this.lifter = lifter;
        this.basis = new double[nMfcc * nMels];
        for (int k = 0; k < nMfcc; k++) {
            double scale = k == 0 ? Math.sqrt(1.0 / nMels) : Math.sqrt(2.0 / nMels);
            if (lifter > 0) scale *= 1.0 + (lifter / 2.0) * Math.sin(Math.PI * (k + 1) / lifter);
            for (int m = 0; m < nMels; m++)
                basis[k * nMels + m] = scale * Math.cos(Math.PI * k * (2 * m + 1) / (2.0 * nMels));
        }
        this.basisF = new float[basis.length];
        for (int i = 0; i < basis.length; i++) basisF[i] = (float) basis[i];
    }

    public int nMfcc() { return nMfcc; }

    public int nMels() { return nMels; }

    public int lifter() { return lifter; }

    /** MFCCs of a log-power mel spectrogram (e.g. {@link PowerToDb#powerToDb}), [n_mfcc, n_frames]. */
    public Matrix fromLogMel(Matrix logMel) {
        check(logMel);
        int frames = logMel.cols();
        Matrix out = Matrix.zeros(nMfcc, frames);
        float[] s = logMel.data(), o = out.data(), b = basisF;
        // Eight (or 16) frames a step, the sum over bands as fma in band order: the same bits in every tier.
        for (int k = 0; k < nMfcc; k++) {
            int row = k * nMels, t = 0;
            for (int upper = S.loopBound(frames); t < upper; t += S.length()) {
                FloatVector acc = FloatVector.zero(S);
                for (int m = 0; m < nMels; m++)
                    acc = FloatVector.fromArray(S, s, m * frames + t).fma(FloatVector.broadcast(S, b[row + m]), acc);
                acc.intoArray(o, k * frames + t);
            }
            for (; t < frames; t++) {
                float acc = 0f;
                for (int m = 0; m < nMels; m++) acc = Math.fma(s[m * frames + t], b[row + m], acc);
                o[k * frames + t] = acc;
            }
        }
        return out;
    }

    /** The reference for {@link #fromLogMel}: double accumulation over the double basis. */
    Matrix fromLogMelPlain(Matrix logMel) {
        check(logMel);
        int frames = logMel.cols();
        Matrix out = Matrix.zeros(nMfcc, frames);
        float[] s = logMel.data(), o = out.data();
        double[] acc = new double[frames];
        for (int k = 0; k < nMfcc; k++) {
            java.util.Arrays.fill(acc, 0);
            for (int m = 0; m < nMels; m++) {
                double b = basis[k * nMels + m];
                for (int t = 0, base = m * frames; t < frames; t++) acc[t] += b * s[base + t];
            }
            for (int t = 0; t < frames; t++) o[k * frames + t] = (float) acc[t];
        }
        return out;
    }

    private void check(Matrix logMel) {
        if (logMel.rows() != nMels)
            throw new IllegalArgumentException("expected a log-mel spectrogram with n_mels=" + nMels + " rows, got "
                    + logMel.rows() + ": build Mfcc with the mel spectrogram's n_mels");
    }

    /**
     * {@code librosa.feature.mfcc(y=y, sr, n_mfcc, ...)} with the mel settings of {@code mel}: mel spectrogram,
     * {@code power_to_db} with librosa's defaults (ref 1, amin 1e-10, top_db 80), then {@link #fromLogMel}.
     */
    public Matrix compute(MelSpectrogram mel, float[] y) {
        return fromLogMel(PowerToDb.powerToDb(mel.compute(y)));
    }
}
