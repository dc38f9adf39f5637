package dev.ser.audio.features;

import java.util.concurrent.ConcurrentHashMap;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code librosa.feature.chroma_stft(y, sr, n_fft, hop_length, tuning, n_chroma=12, norm=np.inf)}:
 * the power STFT projected onto 12 pitch classes by {@link #filterbank} (librosa.filters.chroma with
 * ctroct=5, octwidth=2, norm=2, base_c=True), then each frame divided by its largest value
 * ({@code util.normalize(norm=inf)}; an all-zero frame stays zero). Result [n_chroma, n_frames].
 *
 * <p>With {@code tuning = null} the tuning is estimated the way chroma_stft does it:
 * {@code estimate_tuning(S=power spectrogram)} (not the magnitude one {@code estimate_tuning(y=...)} uses;
 * the two can differ). Filterbanks are cached per tuning value (estimates are quantised to 0.01).
 */
public final class Chroma {

    private final double sr;
    private final Stft stft;
    private final int nChroma;
    private final ConcurrentHashMap<Double, Matrix> filterbanks = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<Double, float[]> frameWeights = new ConcurrentHashMap<>();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /** librosa's chroma_stft defaults: Hann, centred, 12 classes. */
    public Chroma(double sr, int nFft, int hopLength) { this(sr, new Stft(nFft, hopLength), 12); }

    public Chroma(double sr, Stft stft, int nChroma) {
        if (nChroma < 1) throw new IllegalArgumentException("n_chroma must be >= 1, got " + nChroma);
        this.sr = sr;
        this.stft = stft;
        this.nChroma = nChroma;
    }

    /**
     * @param tuning deviation from A440 in fractions of a chroma bin; {@code null} to estimate it from
     *               the signal as librosa's {@code tuning=None}
     */
    public Matrix compute(float[] y, Double tuning) {
        Matrix power = stft.power(y);
        double t = tuning != null ? tuning : Tuning.estimateTuning(power, sr, 0.01, nChroma);
        return fromPower(power, t);
    }

    /** Chroma of a power spectrogram [1 + n_fft/2, n_frames] at a known tuning. */
    public Matrix fromPower(Matrix power, double tuning) {
        Matrix fb = filterbanks.computeIfAbsent(tuning, tu -> filterbank(sr, stft.nFft(), nChroma, tu, 5.0, 2.0, true));
        if (power.rows() != fb.cols())
            throw new IllegalArgumentException("power spectrogram has " + power.rows() + " bins, the chroma filterbank "
                    + fb.cols() + ": use the same n_fft");
        int bins = power.rows(), frames = power.cols();
        Matrix out = Matrix.zeros(nChroma, frames);
        float[] w = fb.data(), s = power.data(), o = out.data();
        double[] acc = new double[frames];
        for (int c = 0; c < nChroma; c++) {
            java.util.Arrays.fill(acc, 0);
            for (int k = 0; k < bins; k++) {
                double wk = w[c * bins + k];
                for (int t = 0, base = k * frames; t < frames; t++) acc[t] += wk * s[base + t];
            }
            for (int t = 0; t < frames; t++) o[c * frames + t] = (float) acc[t];
        }
        // util.normalize(norm=inf, axis=0): lengths below float32's smallest normal are left at 1.
        for (int t = 0; t < frames; t++) {
            float max = 0;
            for (int c = 0; c < nChroma; c++) max = Math.max(max, Math.abs(o[c * frames + t]));
            if (max < Float.MIN_NORMAL) continue;
            for (int c = 0; c < nChroma; c++) o[c * frames + t] /= max;
        }
        return out;
    }

    public int nChroma() { return nChroma; }

    /** {@code n_chroma} rounded up to whole vectors: the row width of {@link #frameWeights} and of applyFrame's output. */
    int paddedWidth() { return (nChroma + S.length() - 1) / S.length() * S.length(); }

    /**
     * The filterbank at {@code tuning} transposed for {@link #applyFrame}: [1 + n_fft/2][paddedWidth], bin k's
     * weights on every class side by side, zero in the padding. Cached per tuning like the filterbank.
     */
    float[] frameWeights(double tuning) {
        return frameWeights.computeIfAbsent(tuning, tu -> {
            Matrix fb = filterbanks.computeIfAbsent(tu, t -> filterbank(sr, stft.nFft(), nChroma, t, 5.0, 2.0, true));
            int bins = fb.cols(), cw = paddedWidth();
            float[] wT = new float[bins * cw];
            for (int c = 0; c < nChroma; c++) for (int k = 0; k < bins; k++) wT[k * cw + c] = fb.data()[c * bins + k];
            return wT;
        });
    }

    /**
     * The fast path of {@link #fromPower} for one frame: {@code out[c] = sum_k w[c][k] pow[k]} for every class
     * at once (the classes are the vector lanes, each bin's power broadcast), then divided by the largest
     * |out[c]| (norm=inf; a frame whose largest is below float's smallest normal stays as it is). Several
     * accumulators (bins k even / odd, or k mod 4) keep the fma unit busy; the order is fixed, so the same
     * bits in every tier. {@code out} has {@link #paddedWidth} slots, the first n_chroma meaningful.
     */
    void applyFrame(float[] wT, float[] pow, float[] out) {
        int bins = pow.length, cw = paddedWidth(), l = S.length(), v = 0;
        for (; v + 2 * l <= cw; v += 2 * l) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, b0 = a0, b1 = a0;
            int k = 0;
            for (; k + 1 < bins; k += 2) {
                FloatVector p0 = FloatVector.broadcast(S, pow[k]), p1 = FloatVector.broadcast(S, pow[k + 1]);
                int r0 = k * cw + v, r1 = r0 + cw;
                a0 = FloatVector.fromArray(S, wT, r0).fma(p0, a0);
                b0 = FloatVector.fromArray(S, wT, r0 + l).fma(p0, b0);
                a1 = FloatVector.fromArray(S, wT, r1).fma(p1, a1);
                b1 = FloatVector.fromArray(S, wT, r1 + l).fma(p1, b1);
            }
            for (; k < bins; k++) {
                FloatVector p = FloatVector.broadcast(S, pow[k]);
                a0 = FloatVector.fromArray(S, wT, k * cw + v).fma(p, a0);
                b0 = FloatVector.fromArray(S, wT, k * cw + v + l).fma(p, b0);
            }
            a0.add(a1).intoArray(out, v);
            b0.add(b1).intoArray(out, v + l);
        }
        for (; v < cw; v += l) {
            FloatVector a0 = FloatVector.zero(S), a1 = a0, a2 = a0, a3 = a0;
            int k = 0;
            for (; k + 3 < bins; k += 4) {
                a0 = FloatVector.fromArray(S, wT, k * cw + v).fma(FloatVector.broadcast(S, pow[k]), a0);
                a1 = FloatVector.fromArray(S, wT, (k + 1) * cw + v).fma(FloatVector.broadcast(S, pow[k + 1]), a1);
                a2 = FloatVector.fromArray(S, wT, (k + 2) * cw + v).fma(FloatVector.broadcast(S, pow[k + 2]), a2);
                a3 = FloatVector.fromArray(S, wT, (k + 3) * cw + v).fma(FloatVector.broadcast(S, pow[k + 3]), a3);
            }
            for (; k < bins; k++) a0 = FloatVector.fromArray(S, wT, k * cw + v).fma(FloatVector.broadcast(S, pow[k]), a0);
            a0.add(a1).add(a2.add(a3)).intoArray(out, v);
        }
        float max = 0;
        for (int c = 0; c < nChroma; c++) max = Math.max(max, Math.abs(out[c]));
        if (max < Float.MIN_NORMAL) return;
        for (int c = 0; c < nChroma; c++) out[c] /= max;
    }

    /**
     * {@code librosa.filters.chroma(sr, n_fft, n_chroma, tuning, ctroct, octwidth, norm=2, base_c)},
     * [n_chroma, 1 + n_fft/2] float32. Each FFT bin k > 0 sits at {@code n_chroma log2(f_k / (A440/16))}
     * chroma bins (A440 = 440 * 2^(tuning / n_chroma)); bin 0 is put 1.5 octaves below bin 1. Its weight
     * on class c is a Gaussian in the (circular) distance from c, with width twice the bin spacing (at
     * least 1), columns L2-normalised, then weighted by a Gaussian over octaves centred on octave
     * {@code ctroct} with std {@code octwidth}; {@code base_c} rotates the classes to start at C.
     */
    public static Matrix filterbank(double sr, int nFft, int nChroma, double tuning, double ctroct, double octwidth, boolean baseC) {
        double a440 = 440.0 * Math.pow(2.0, tuning / nChroma);
        double[] frqbins = new double[nFft];
        for (int k = 1; k < nFft; k++) {
            double f = k * (sr / nFft);
            frqbins[k] = nChroma * (Math.log(f / (a440 / 16)) / Math.log(2.0));
        }
        frqbins[0] = frqbins[1] - 1.5 * nChroma;
        double[] binwidth = new double[nFft];
        for (int k = 0; k < nFft - 1; k++) binwidth[k] = Math.max(frqbins[k + 1] - frqbins[k], 1.0);
        binwidth[nFft - 1] = 1;
        double half = Math.rint(nChroma / 2.0);
        int keep = (int) (1 + nFft / 2.0);
        double[][] wts = new double[nChroma][nFft];
        for (int k = 0; k < nFft; k++) {
            double norm2 = 0;
            for (int c = 0; c < nChroma; c++) {
                double d = frqbins[k] - c;
                d = ((d + half + 10 * nChroma) % nChroma) - half;
                double z = 2 * d / binwidth[k];
                double v = Math.exp(-0.5 * z * z);
                wts[c][k] = v;
                norm2 += v * v;
            }
            double len = Math.sqrt(norm2);
            double oct = (frqbins[k] / nChroma - ctroct) / octwidth;
            double octWeight = Math.exp(-0.5 * oct * oct);
            for (int c = 0; c < nChroma; c++) wts[c][k] = wts[c][k] / len * octWeight;
        }
        int roll = baseC ? 3 * (nChroma / 12) : 0;
        float[] out = new float[nChroma * keep];
        for (int c = 0; c < nChroma; c++) {
            double[] src = wts[Math.floorMod(c + roll, nChroma)];
            for (int k = 0; k < keep; k++) out[c * keep + k] = (float) src[k];
        }
        return new Matrix(nChroma, keep, out);
    }
}
