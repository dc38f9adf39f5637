package dev.ser.audio.features;

/**
 * {@code librosa.feature.spectral_centroid(y, sr, n_fft, hop_length, win_length, center)}: per frame, the
 * magnitude-weighted mean frequency {@code sum_k f_k |X_k| / sum_k |X_k|} with {@code f_k = k sr / n_fft}.
 * A silent frame (sum below float32's smallest normal, librosa's {@code util.normalize} threshold) gets 0.
 * Result [1, n_frames].
 */
public final class SpectralCentroid {

    private SpectralCentroid() {}

    public static Matrix spectralCentroid(float[] y, double sr, Stft stft) {
        int frames = stft.frameCount(y.length);
        double[] freqs = Stft.fftFrequencies(sr, stft.nFft());
        float[] buf = new float[stft.nFft()];
        float[] mag = new float[stft.nBins()];
        float[] out = new float[frames];
        for (int t = 0; t < frames; t++) {
            stft.transformFrame(y, t, buf);
            stft.magnitudes(buf, mag);
            out[t] = (float) centroid(mag, freqs);
        }
        return new Matrix(1, frames, out);
    }

    /** From a magnitude spectrogram S [1 + n_fft/2, n_frames] (librosa's {@code S=} argument). */
    public static Matrix spectralCentroid(Matrix magnitude, double sr) {
        int bins = magnitude.rows(), frames = magnitude.cols();
        double[] freqs = Stft.fftFrequencies(sr, 2 * (bins - 1));
        float[] out = new float[frames];
        for (int t = 0; t < frames; t++) out[t] = (float) centroid(magnitude.col(t), freqs);
        return new Matrix(1, frames, out);
    }

    private static double centroid(float[] mag, double[] freqs) {
        double sum = 0, weighted = 0;
        for (int k = 0; k < mag.length; k++) {
            sum += Math.abs(mag[k]);
            weighted += freqs[k] * mag[k];
        }
        return sum < Float.MIN_NORMAL ? 0.0 : weighted / sum;
    }
}
