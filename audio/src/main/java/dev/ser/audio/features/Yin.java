package dev.ser.audio.features;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Fundamental frequency by YIN (de Cheveigné and Kawahara, 2002), as {@code librosa.yin(y, fmin, fmax, sr,
 * frame_length, hop_length, trough_threshold, center=True, pad_mode="constant")} computes it in librosa 0.11,
 * plus what librosa leaves inside: the aperiodicity, the cumulative mean normalized difference at the chosen
 * period (near 0 for a clean periodic frame, near 1 or above for noise and silence).
 *
 * <p>Per frame of {@code frame_length} samples x (centered: the signal gets frame_length/2 zeros on each side):
 * <ol>
 *   <li>autocorrelation r(k) for lags 0..max_period, by FFT (zero-padded to at least 2 frame_length - 1, so no
 *       lag wraps around);</li>
 *   <li>difference d(k) = 2 (r(0) - r(k)) - sum_{m<k} x(m)^2, librosa 0.11's form: the textbook sum over the
 *       overlap, sum (x(m) - x(m+k))^2, would also subtract the energy of the frame's last k samples (and
 *       librosa leaves x(0)^2 out of d(1)); we follow librosa;</li>
 *   <li>CMNDF d'(k) = d(k) / (mean of d(1..k) + tiny) for k in [min_period, max_period], min_period =
 *       floor(sr/fmax), max_period = min(ceil(sr/fmin), frame_length - 1);</li>
 *   <li>the first local minimum of d' below {@code trough_threshold} (the first lag compares with its right
 *       neighbour only, the last with its left), else d''s global minimum;</li>
 *   <li>the period refined by a parabola through the minimum and its neighbours (no shift at the ends, or
 *       where the parabola's vertex is more than a lag away); f0 = sr / period.</li>
 * </ol>
 * In double throughout. {@code YinTest} holds it to librosa on speech and a synthetic glide.
 *
 * <p>Build one per parameter set and reuse it; thread-safe (buffers are per call).
 */
public final class Yin {

    /** Per frame: f0 in Hz and the aperiodicity (CMNDF) at the period it came from. */
    public record Track(double[] f0, double[] aperiodicity) {
        public int frames() { return f0.length; }
    }

    private final int sr, frameLength, hopLength, minPeriod, maxPeriod, fftSize;
    private final double troughThreshold;
    private final DoubleFFT_1D fft;

    /**
     * @throws IllegalArgumentException unless 0 < fmin < fmax <= sr/2 and one period of fmin fits in the frame
     *                                  (sr/fmin < frame_length - 1), librosa's conditions
     */
    public Yin(int sr, int frameLength, int hopLength, double fmin, double fmax, double troughThreshold) {
        if (sr <= 0 || hopLength <= 0 || frameLength <= 2)
            throw new IllegalArgumentException("yin needs sr > 0, hop_length > 0 and frame_length > 2; found sr=" + sr
                    + ", hop_length=" + hopLength + ", frame_length=" + frameLength);
        if (!(fmin > 0) || !(fmax > fmin) || fmax > sr / 2.0)
            throw new IllegalArgumentException("yin needs 0 < fmin < fmax <= sr/2 = " + sr / 2.0 + " Hz; found fmin=" + fmin
                    + ", fmax=" + fmax);
        if (sr / fmin >= frameLength - 1)
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "fmin=%.3f Hz is too low for frame_length=%d at sr=%d: a period of fmin must fit in the frame; raise fmin "
                    + "to %.3f or frame_length to %d", fmin, frameLength, sr, sr / (frameLength - 1.0), (int) Math.ceil(sr / fmin) + 1));
        if (!(troughThreshold > 0)) throw new IllegalArgumentException("trough_threshold must be > 0; found " + troughThreshold);
        this.sr = sr;
        this.frameLength = frameLength;
        this.hopLength = hopLength;
        this.troughThreshold = troughThreshold;
        this.minPeriod = (int) Math.floor(sr / fmax);
        this.maxPeriod = Math.min((int) Math.ceil(sr / fmin), frameLength - 1);
        this.fftSize = Integer.highestOneBit(2 * frameLength - 1) << 1;
        this.fft = new DoubleFFT_1D(fftSize);
    }

    /** One frame per hop, centered: 1 + len(y) / hop_length frames, as the STFT with center=True. */
    public Track track(float[] y) {
        int frames = Framing.frameCount(y.length, frameLength, hopLength, true);
        double[] f0 = new double[frames], aperiodicity = new double[frames];
        double[] buf = new double[fftSize], energy = new double[maxPeriod], cmndf = new double[maxPeriod - minPeriod + 1];
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - frameLength / 2;
            cumulativeMeanNormalizedDifference(y, start, buf, energy, cmndf);
            int i = chosenLag(cmndf);
            f0[t] = sr / (minPeriod + i + parabolicShift(cmndf, i));
            aperiodicity[t] = cmndf[i];
        }
        return new Track(f0, aperiodicity);
    }

    /** Steps 1-3 for the frame starting at sample {@code start} (negative or past the end: zeros). */
    private void cumulativeMeanNormalizedDifference(float[] y, int start, double[] buf, double[] energy, double[] cmndf) {
        java.util.Arrays.fill(buf, 0.0);
        int from = Math.max(0, start), to = Math.min(y.length, start + frameLength);
        for (int n = from; n < to; n++) buf[n - start] = y[n];
        // Energy of the frame's first k samples, k = 0..max_period - 1, before the FFT overwrites the samples.
        // librosa zeroes the cumulative energy's first entry (meaning d(0) = 0) before reading it as d(1)'s energy
        // term, so d(1) = 2 (r(0) - r(1)) without the first sample's square; we follow it.
        double e = 0;
        for (int k = 0; k < maxPeriod; k++) {
            e += buf[k] * buf[k];
            energy[k] = k == 0 ? 0 : e;
        }
        // Autocorrelation: |FFT|^2 then the inverse. realForward packs [Re0, Re(n/2), Re1, Im1, ...].
        fft.realForward(buf);
        buf[0] *= buf[0];
        buf[1] *= buf[1];
        for (int j = 2; j < fftSize; j += 2) {
            buf[j] = buf[j] * buf[j] + buf[j + 1] * buf[j + 1];
            buf[j + 1] = 0;
        }
        fft.realInverse(buf, true);
        double sum = 0;   // d(1) + ... + d(k)
        for (int k = 1; k <= maxPeriod; k++) {
            double d = 2 * (buf[0] - buf[k]) - energy[k - 1];
            sum += d;
            if (k >= minPeriod) cmndf[k - minPeriod] = d / (sum / k + Double.MIN_NORMAL);
        }
    }

    /** Step 4: the first local minimum under the threshold, else the global minimum (its first lag). */
    private int chosenLag(double[] x) {
        int n = x.length, argmin = 0;
        for (int i = 0; i < n; i++) {
            if (x[i] < x[argmin]) argmin = i;
            if (x[i] < troughThreshold && isTrough(x, i)) return i;
        }
        return argmin;
    }

    private static boolean isTrough(double[] x, int i) {
        int last = x.length - 1;
        if (i == 0) return last > 0 && x[0] < x[1];
        if (i == last) return x[last] < x[last - 1];
        return x[i] < x[i - 1] && x[i] <= x[i + 1];
    }

    /** Step 5: the vertex of the parabola through lags i-1, i, i+1, relative to i; 0 at the ends or beyond a lag. */
    private static double parabolicShift(double[] x, int i) {
        if (i == 0 || i == x.length - 1) return 0;
        double a = x[i + 1] + x[i - 1] - 2 * x[i], b = (x[i + 1] - x[i - 1]) / 2;
        return Math.abs(b) >= Math.abs(a) ? 0 : -b / a;
    }
}
