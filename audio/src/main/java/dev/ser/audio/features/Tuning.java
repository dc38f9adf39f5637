package dev.ser.audio.features;

import java.util.Arrays;

/**
 * {@code librosa.estimate_tuning}: how far, in fractions of a semitone bin, the signal's pitches sit from
 * the A440 equal-tempered grid, in {@code [-0.5, 0.5)} with {@code resolution} steps (0.01 = cents).
 *
 * <ol>
 *   <li>{@code piptrack}: in each frame of a spectrogram S, the bins between fmin=150 Hz and
 *       fmax=min(4000, sr/2) that are local maxima and above 0.1 x the frame's maximum; each gets a
 *       frequency refined by parabolic interpolation, {@code (k + shift) sr / n_fft} with
 *       {@code shift = -b / a}, {@code a = S[k+1] + S[k-1] - 2 S[k]}, {@code b = (S[k+1] - S[k-1]) / 2}
 *       (0 when |b| >= |a|), and a magnitude {@code S[k] + 0.5 gradient(S)[k] shift}.</li>
 *   <li>Keep the peaks whose magnitude is at least the median peak magnitude.</li>
 *   <li>{@code pitch_tuning}: residual {@code r = (bins_per_octave log2(f / 27.5)) mod 1}, folded to
 *       [-0.5, 0.5); histogram on {@code ceil(1/resolution)} equal bins over [-0.5, 0.5]; the left edge
 *       of the fullest bin is the estimate.</li>
 * </ol>
 * Arithmetic follows numpy's float32 where librosa's arrays are float32 (the spectrogram, the peaks, the
 * residuals), so peak picking and histogram binning agree with librosa bin for bin.
 */
public final class Tuning {

    private Tuning() {}

    /**
     * {@code librosa.estimate_tuning(y=y, sr, n_fft, hop_length, resolution=0.01, bins_per_octave=12)}:
     * piptrack on the magnitude STFT of {@code y} (Hann, centred).
     */
    public static double estimateTuning(float[] y, double sr, int nFft, int hopLength) {
        return estimateTuning(new Stft(nFft, hopLength).magnitude(y), sr, 0.01, 12);
    }

    /**
     * {@code librosa.estimate_tuning(S=S, sr, resolution, bins_per_octave)}: S is a magnitude or power
     * spectrogram [1 + n_fft/2, n_frames] (chroma_stft passes its power spectrogram, which picks other peaks
     * than the magnitude one would).
     */
    public static double estimateTuning(Matrix s, double sr, double resolution, int binsPerOctave) {
        float[][] pm = piptrack(s, sr, 150.0, 4000.0, 0.1);
        float[] pitches = pm[0], mags = pm[1];
        int count = 0;
        for (float p : pitches) if (p > 0) count++;
        float threshold = 0f;
        if (count > 0) {
            float[] m = new float[count];
            int i = 0;
            for (int j = 0; j < pitches.length; j++) if (pitches[j] > 0) m[i++] = mags[j];
            threshold = median(m);
        }
        float[] selected = new float[count];
        int n = 0;
        for (int j = 0; j < pitches.length; j++) if (pitches[j] > 0 && mags[j] >= threshold) selected[n++] = pitches[j];
        return pitchTuning(Arrays.copyOf(selected, n), resolution, binsPerOctave);
    }

    /**
     * {@code librosa.piptrack(S=S, sr, fmin, fmax, threshold)}: returns {pitches, magnitudes}, each
     * flattened [bins * frames] row-major like S, zero where a bin is not a peak.
     */
    public static float[][] piptrack(Matrix s, double sr, double fmin, double fmax, double threshold) {
        int bins = s.rows(), frames = s.cols();
        int nFft = 2 * (bins - 1);
        fmin = Math.max(fmin, 0);
        fmax = Math.min(fmax, sr / 2);
        double[] freqs = Stft.fftFrequencies(sr, nFft);
        float[] x = s.data();
        float[] pitches = new float[x.length], mags = new float[x.length];
        float thresholdF = (float) threshold;
        float[] col = new float[bins], masked = new float[bins];
        for (int t = 0; t < frames; t++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int k = 0; k < bins; k++) {
                col[k] = Math.abs(x[k * frames + t]);
                max = Math.max(max, col[k]);
            }
            float ref = thresholdF * max;
            for (int k = 0; k < bins; k++) masked[k] = col[k] > ref ? col[k] : 0f;
            for (int k = 0; k < bins; k++) {
                if (!(fmin <= freqs[k] && freqs[k] < fmax) || !localMax(masked, k)) continue;
                float shift = shift(col, k);
                // np.gradient: central difference inside, one-sided at the ends.
                float avg = k == 0 ? col[1] - col[0] : k == bins - 1 ? col[k] - col[k - 1] : (col[k + 1] - col[k - 1]) / 2f;
                float dskew = 0.5f * avg * shift;
                pitches[k * frames + t] = (float) ((k + (double) shift) * sr / nFft);
                mags[k * frames + t] = col[k] + dskew;
            }
        }
        return new float[][] {pitches, mags};
    }

    /** librosa.util.localmax along frequency: x[k] > x[k-1] and x[k] >= x[k+1]; the last bin only needs > its left. */
    private static boolean localMax(float[] x, int k) {
        int n = x.length;
        if (k == 0 || n < 2) return false;
        if (k == n - 1) return x[k] > x[k - 1];
        return x[k] > x[k - 1] && x[k] >= x[k + 1];
    }

    /**
     * librosa's {@code _pi_stencil} (numba, float32 input): {@code a} mixes float32 sums with a float64
     * {@code 2 * x[0]}, {@code b} halves a float32 difference; 0 when the vertex is beyond a neighbour.
     */
    private static float shift(float[] x, int k) {
        if (k == 0 || k == x.length - 1) return 0f;
        double a = (double) (x[k + 1] + x[k - 1]) - 2.0 * x[k];
        double b = (double) (x[k + 1] - x[k - 1]) / 2.0;
        if (Math.abs(b) >= Math.abs(a)) return 0f;
        return (float) (-b / a);
    }

    /** np.median of float32: the middle element, or the float32 mean of the two middle ones. */
    private static float median(float[] v) {
        float[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2f;
    }

    /**
     * {@code librosa.pitch_tuning(frequencies, resolution, bins_per_octave)}. Frequencies <= 0 are
     * ignored; with none left librosa warns and returns 0, as we do.
     */
    public static double pitchTuning(float[] frequencies, double resolution, int binsPerOctave) {
        if (!(resolution > 0 && resolution < 1)) throw new IllegalArgumentException("resolution must be in (0, 1), got " + resolution);
        int nBins = (int) Math.ceil(1.0 / resolution);
        // np.linspace(-0.5, 0.5, nBins + 1): start + i * step, the last edge exactly 0.5.
        double step = 1.0 / nBins;
        double[] edges = new double[nBins + 1];
        for (int i = 0; i < nBins; i++) edges[i] = i * step + -0.5;
        edges[nBins] = 0.5;
        int[] counts = new int[nBins];
        boolean any = false;
        for (float f : frequencies) {
            if (!(f > 0)) continue;
            any = true;
            // float32 like numpy: log2(f / 27.5f), times bins_per_octave, mod 1, folded.
            float octs = (float) (Math.log((double) (f / 27.5f)) / Math.log(2.0));
            float scaled = binsPerOctave * octs;
            float r = scaled - (float) Math.floor(scaled);
            if (r >= 0.5f) r -= 1.0f;
            int bin = histogramBin(edges, r);
            if (bin >= 0) counts[bin]++;
        }
        if (!any) return 0.0;
        int best = 0;
        for (int i = 1; i < nBins; i++) if (counts[i] > counts[best]) best = i;
        return edges[best];
    }

    /** np.histogram's bin: edges[i] <= v < edges[i+1], the last bin closed; -1 outside. */
    private static int histogramBin(double[] edges, double v) {
        int n = edges.length - 1;
        if (v < edges[0] || v > edges[n]) return -1;
        int i = Math.min(n - 1, (int) ((v - edges[0]) * n / (edges[n] - edges[0])));
        while (i > 0 && v < edges[i]) i--;
        while (i < n - 1 && v >= edges[i + 1]) i++;
        return i;
    }
}
