package dev.ser.audio.features;

/**
 * Analysis windows as librosa builds them: {@code scipy.signal.get_window('hann', win_length,
 * fftbins=True)} (the periodic Hann window, the one whose copies overlap-add to a constant), then
 * {@code librosa.util.pad_center} to {@code n_fft}.
 */
public final class Windows {

    private Windows() {}

    /** Periodic Hann of length {@code winLength}: {@code w[n] = 0.5 - 0.5 cos(2 pi n / win_length)}. */
    public static double[] hann(int winLength) {
        if (winLength < 1) throw new IllegalArgumentException("win_length must be >= 1, got " + winLength);
        double[] w = new double[winLength];
        for (int n = 0; n < winLength; n++) w[n] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * n / winLength);
        return w;
    }

    /**
     * {@code librosa.util.pad_center(hann(win_length), size=n_fft)}: the window sits in the middle of
     * {@code n_fft} zeros, with {@code (n_fft - win_length) / 2} zeros on the left (the odd one on the right).
     */
    public static double[] hannPadded(int winLength, int nFft) {
        if (winLength > nFft)
            throw new IllegalArgumentException("win_length=" + winLength + " cannot exceed n_fft=" + nFft
                    + " (librosa pads the window to n_fft): lower win_length or raise n_fft");
        double[] w = hann(winLength);
        double[] out = new double[nFft];
        System.arraycopy(w, 0, out, (nFft - winLength) / 2, winLength);
        return out;
    }
}
