package dev.ser.audio.features;

/**
 * {@code librosa.feature.melspectrogram(y, sr, n_fft, hop_length, win_length, center, power, n_mels,
 * fmin, fmax, htk, norm)}: the mel filterbank times {@code |STFT|^power}, [n_mels, n_frames].
 *
 * <p>Build once per configuration (window, FFT plan and filterbank are precomputed) and call
 * {@link #compute} per signal. Each frame goes FFT, then |X|^power, then the sparse filterbank product,
 * straight into the output: the full linear spectrogram is never materialised.
 */
public final class MelSpectrogram {

    private final Stft stft;
    private final MelFilterbank filterbank;
    private final double power;

    /** librosa's defaults for the given sizes: Hann, centred, Slaney mel with Slaney norm, power 2. */
    public MelSpectrogram(double sr, int nFft, int hopLength, int nMels) {
        this(new Stft(nFft, hopLength), new MelFilterbank(sr, nFft, nMels), 2.0);
    }

    /**
     * @param stft       the framing and window ({@code n_fft}, {@code hop_length}, {@code win_length}, {@code center})
     * @param filterbank built for the same {@code n_fft}
     * @param power      {@code power}: 1 for magnitude, 2 for power (librosa's default)
     */
    public MelSpectrogram(Stft stft, MelFilterbank filterbank, double power) {
        if (filterbank.nBins() != stft.nBins())
            throw new IllegalArgumentException("filterbank has " + filterbank.nBins() + " bins but the STFT gives " + stft.nBins()
                    + ": build both with the same n_fft");
        if (!(power > 0)) throw new IllegalArgumentException("power must be > 0, got " + power);
        this.stft = stft;
        this.filterbank = filterbank;
        this.power = power;
    }

    public Stft stft() { return stft; }

    public MelFilterbank filterbank() { return filterbank; }

    public double power() { return power; }

    public int nMels() { return filterbank.nMels(); }

    /** The mel spectrogram of {@code y}, [n_mels, n_frames]. */
    public Matrix compute(float[] y) {
        int frames = stft.frameCount(y.length);
        int nMels = filterbank.nMels();
        Matrix out = Matrix.zeros(nMels, frames);
        float[] o = out.data();
        float[] buf = new float[stft.nFft()];
        float[] spec = new float[stft.nBins()];
        float[] mel = new float[filterbank.paddedBands()];
        for (int t = 0; t < frames; t++) {
            if (power == 2.0) stft.powerFrame(y, t, buf, spec);
            else {
                stft.transformFrame(y, t, buf);
                stft.magnitudes(buf, spec);
                if (power != 1.0) for (int k = 0; k < spec.length; k++) spec[k] = (float) Math.pow(spec[k], power);
            }
            filterbank.applyFrame(spec, mel);
            for (int m = 0; m < nMels; m++) o[m * frames + t] = mel[m];
        }
        return out;
    }
}
