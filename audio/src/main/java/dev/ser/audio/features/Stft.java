package dev.ser.audio.features;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * The short-time Fourier transform of {@code librosa.stft} (0.10) with a Hann window: frame {@code t}
 * covers samples {@code [t * hop_length - n_fft/2, t * hop_length + n_fft/2)} of {@code y} when
 * {@code center=True} (zeros outside the signal: librosa 0.10's default {@code pad_mode='constant'}), or
 * {@code [t * hop_length, t * hop_length + n_fft)} when {@code center=False}. The frame count is
 * {@code 1 + (len(y) + 2 * (n_fft / 2) - n_fft) / hop_length} with center, as librosa's.
 *
 * <p>Build one per configuration and reuse it: the window and the FFT plan (JTransforms' real FFT) are
 * computed once. An instance is safe to share between threads; each call allocates its own small
 * scratch buffer. Samples are taken as they are (float); the FFT runs in float, which keeps the
 * magnitudes within ~1e-6 of librosa's float64 FFT (see docs/audio.md for the measured errors).
 */
public final class Stft {

    private final int nFft;
    private final int hopLength;
    private final int winLength;
    private final boolean center;
    /** The padded window, only its non-zero span [winStart, winEnd) is ever multiplied. */
    private final float[] window;
    private final int winStart;
    private final int winEnd;
    private final FloatFFT_1D fft;

    /** {@code librosa.stft(n_fft, hop_length, win_length=n_fft, window='hann', center=True)}. */
    public Stft(int nFft, int hopLength) { this(nFft, hopLength, nFft, true); }

    /**
     * @param nFft      {@code n_fft}: FFT size; {@code 1 + n_fft/2} frequency bins come out
     * @param hopLength {@code hop_length}: samples between frame starts
     * @param winLength {@code win_length}: Hann window length, zero-padded to the centre of {@code n_fft}
     * @param center    {@code center}: pad {@code n_fft/2} zeros on each side so frame t is centred at
     *                  {@code y[t * hop_length]}
     */
    public Stft(int nFft, int hopLength, int winLength, boolean center) {
        if (nFft < 2) throw new IllegalArgumentException("n_fft must be >= 2, got " + nFft);
        if (hopLength < 1) throw new IllegalArgumentException("hop_length must be >= 1, got " + hopLength);
        this.nFft = nFft;
        this.hopLength = hopLength;
        this.winLength = winLength;
        this.center = center;
        double[] w = Windows.hannPadded(winLength, nFft);
        this.window = new float[nFft];
        for (int i = 0; i < nFft; i++) window[i] = (float) w[i];
        this.winStart = (nFft - winLength) / 2;
        this.winEnd = winStart + winLength;
        this.fft = new FloatFFT_1D(nFft);
    }

    public int nFft() { return nFft; }

    public int hopLength() { return hopLength; }

    public int winLength() { return winLength; }

    public boolean center() { return center; }

    /** {@code 1 + n_fft/2}: the bins of a real FFT, DC to Nyquist. */
    public int nBins() { return nFft / 2 + 1; }

    /** The frame count librosa returns for a signal of {@code n} samples. */
    public int frameCount(int n) {
        int padded = center ? n + 2 * (nFft / 2) : n;
        if (padded < nFft)
            throw new IllegalArgumentException("n_fft=" + nFft + " is longer than the signal (" + n + " samples) with center=False; "
                    + "use center=True (zero padding) or a smaller n_fft");
        return 1 + (padded - nFft) / hopLength;
    }

    /** {@code np.abs(librosa.stft(y))}: [1 + n_fft/2, n_frames]. */
    public Matrix magnitude(float[] y) { return spectrogram(y, 1.0); }

    /** {@code np.abs(librosa.stft(y)) ** 2}: [1 + n_fft/2, n_frames]. */
    public Matrix power(float[] y) { return spectrogram(y, 2.0); }

    /**
     * {@code np.abs(librosa.stft(y)) ** power}, librosa's {@code _spectrogram}: the magnitude is rounded to
     * float before the power, as numpy does with a complex64 STFT.
     */
    public Matrix spectrogram(float[] y, double power) {
        int frames = frameCount(y.length);
        int bins = nBins();
        Matrix out = Matrix.zeros(bins, frames);
        float[] d = out.data();
        float[] buf = new float[nFft];
        float[] mag = new float[bins];
        for (int t = 0; t < frames; t++) {
            transformFrame(y, t, buf);
            magnitudes(buf, mag);
            if (power == 1.0) for (int k = 0; k < bins; k++) d[k * frames + t] = mag[k];
            else if (power == 2.0) for (int k = 0; k < bins; k++) d[k * frames + t] = mag[k] * mag[k];
            else for (int k = 0; k < bins; k++) d[k * frames + t] = (float) Math.pow(mag[k], power);
        }
        return out;
    }

    /**
     * Windows frame {@code t} of {@code y} into {@code buf} (length n_fft) and transforms it in place
     * with JTransforms' {@code realForward}; read the bins with {@link #magnitudes}.
     */
    void transformFrame(float[] y, int t, float[] buf) {
        int start = t * hopLength - (center ? nFft / 2 : 0);
        java.util.Arrays.fill(buf, 0f);
        // Only the window's non-zero span matters; samples outside y are the constant (zero) padding.
        int from = Math.max(winStart, -start), to = Math.min(winEnd, y.length - start);
        for (int i = from; i < to; i++) buf[i] = y[start + i] * window[i];
        fft.realForward(buf);
    }

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    /**
     * The fast path of one frame of {@code |STFT|^2}, for callers that consume a frame at a time (the
     * pipeline's mel and chroma): the window's span multiplied in with the Vector API, only the bins outside
     * it zeroed, one {@code realForward} (JTransforms' plan is built once per instance), then {@link #powers}
     * straight from the packed layout. {@code buf} (n_fft) and {@code pow} (1 + n_fft/2) are the caller's
     * scratch, reused across frames. Its column equals {@link #power}'s to float rounding: that squares |X|
     * after rounding it to float, as numpy does, this rounds once ({@code FastPathsTest}).
     */
    void powerFrame(float[] y, int t, float[] buf, float[] pow) {
        int start = t * hopLength - (center ? nFft / 2 : 0);
        int from = Math.max(winStart, -start), to = Math.max(from, Math.min(winEnd, y.length - start));
        java.util.Arrays.fill(buf, 0, from, 0f);
        java.util.Arrays.fill(buf, to, nFft, 0f);
        int i = from;
        for (int upper = from + S.loopBound(to - from); i < upper; i += S.length())
            FloatVector.fromArray(S, y, start + i).mul(FloatVector.fromArray(S, window, i)).intoArray(buf, i);
        for (; i < to; i++) buf[i] = y[start + i] * window[i];
        fft.realForward(buf);
        if (nFft % 2 == 0 && nFft >= 2 * S.length()) powersVector(buf, pow);
        else powers(buf, pow);
    }

    /** Lane i of EVEN is lane 2i of the pair (v0, v1) read as one 2L-lane vector; ODD, lane 2i + 1. */
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(S, i -> 2 * i);
    private static final VectorShuffle<Float> ODD = VectorShuffle.fromOp(S, i -> 2 * i + 1);

    /**
     * {@link #powers} for even n_fft with the Vector API: two vectors of the packed (Re, Im) pairs are split
     * into a vector of Re and one of Im (a two-source rearrange, vpermps and a blend on AVX2), then
     * {@code Re^2 + Im^2} as one multiply and one fma. Lane 0 of the first group reads (DC, Nyquist) as a pair
     * and is overwritten after, as is the Nyquist bin. Float arithmetic, two roundings where {@link #powers}
     * has one.
     */
    void powersVector(float[] a, float[] pow) {
        int n = nFft, half = n / 2, l = S.length(), j = 0;
        for (int upper = n - 2 * l; j <= upper; j += 2 * l) {
            FloatVector v0 = FloatVector.fromArray(S, a, j), v1 = FloatVector.fromArray(S, a, j + l);
            FloatVector re = v0.rearrange(EVEN, v1), im = v0.rearrange(ODD, v1);
            re.fma(re, im.mul(im)).intoArray(pow, j / 2);
        }
        for (int k = j / 2; k < half; k++) pow[k] = Math.fma(a[2 * k], a[2 * k], a[2 * k + 1] * a[2 * k + 1]);
        pow[0] = a[0] * a[0];
        pow[half] = a[1] * a[1];
    }

    /**
     * |X[k]| for k = 0 .. n_fft/2 from JTransforms' packed {@code realForward} layout: {@code a[2k], a[2k+1]}
     * hold Re, Im of bin k; {@code a[0]} is the (real) DC term and, for even n_fft, {@code a[1]} the
     * (real) Nyquist term; for odd n_fft {@code a[1]} is Im of the last bin, whose Re is {@code a[n-1]}.
     */
    void magnitudes(float[] a, float[] mag) {
        int n = nFft;
        mag[0] = Math.abs(a[0]);
        if (n % 2 == 0) {
            for (int k = 1; k < n / 2; k++) {
                double re = a[2 * k], im = a[2 * k + 1];
                mag[k] = (float) Math.sqrt(re * re + im * im);
            }
            mag[n / 2] = Math.abs(a[1]);
        } else {
            int last = (n - 1) / 2;
            for (int k = 1; k < last; k++) {
                double re = a[2 * k], im = a[2 * k + 1];
                mag[k] = (float) Math.sqrt(re * re + im * im);
            }
            if (last >= 1) {
                double re = a[n - 1], im = a[1];
                mag[last] = (float) Math.sqrt(re * re + im * im);
            }
        }
    }

    /**
     * |X[k]|^2 from the packed layout (see {@link #magnitudes}), without the square root: librosa rounds
     * |X| to float32 and squares it, two roundings where this has one (a ~1e-7 relative difference).
     */
    void powers(float[] a, float[] pow) {
        int n = nFft;
        pow[0] = a[0] * a[0];
        int last = n % 2 == 0 ? n / 2 : (n - 1) / 2;
        for (int k = 1; k < last; k++) {
            double re = a[2 * k], im = a[2 * k + 1];
            pow[k] = (float) (re * re + im * im);
        }
        if (n % 2 == 0) pow[n / 2] = a[1] * a[1];
        else if (last >= 1) pow[last] = (float) ((double) a[n - 1] * a[n - 1] + (double) a[1] * a[1]);
    }

    /** The centre frequency of each bin, {@code np.fft.rfftfreq(n_fft, 1/sr)} = k * sr / n_fft. */
    public static double[] fftFrequencies(double sr, int nFft) {
        double[] f = new double[nFft / 2 + 1];
        double step = 1.0 / (nFft * (1.0 / sr));
        for (int k = 0; k < f.length; k++) f[k] = k * step;
        return f;
    }
}
