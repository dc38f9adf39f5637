package dev.ser.audio.features;

/**
 * Hz to mel and back, {@code librosa.hz_to_mel} / {@code librosa.mel_to_hz}. Two scales:
 * <ul>
 *   <li>HTK: {@code mel = 2595 log10(1 + f / 700)}.</li>
 *   <li>Slaney (librosa's default, from the Auditory Toolbox): linear below 1 kHz,
 *       {@code mel = f / (200/3)}, then logarithmic above {@code min_log_hz = 1000}:
 *       {@code mel = 15 + ln(f / 1000) / (ln(6.4) / 27)}.</li>
 * </ul>
 */
public final class MelScale {

    private MelScale() {}

    private static final double F_SP = 200.0 / 3;
    private static final double MIN_LOG_HZ = 1000.0;
    private static final double MIN_LOG_MEL = MIN_LOG_HZ / F_SP;
    private static final double LOGSTEP = Math.log(6.4) / 27.0;

    public static double hzToMel(double hz, boolean htk) {
        if (htk) return 2595.0 * Math.log10(1.0 + hz / 700.0);
        if (hz >= MIN_LOG_HZ) return MIN_LOG_MEL + Math.log(hz / MIN_LOG_HZ) / LOGSTEP;
        return hz / F_SP;
    }

    public static double melToHz(double mel, boolean htk) {
        if (htk) return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
        if (mel >= MIN_LOG_MEL) return MIN_LOG_HZ * Math.exp(LOGSTEP * (mel - MIN_LOG_MEL));
        return F_SP * mel;
    }

    /**
     * {@code librosa.mel_frequencies(n_mels, fmin, fmax, htk)}: {@code n_mels} frequencies evenly spaced
     * on the mel scale from fmin to fmax inclusive ({@code np.linspace} on mels, then back to Hz).
     */
    public static double[] melFrequencies(int nMels, double fmin, double fmax, boolean htk) {
        double lo = hzToMel(fmin, htk), hi = hzToMel(fmax, htk);
        double[] out = new double[nMels];
        // np.linspace: start + i * step, the last point exactly stop.
        double step = nMels > 1 ? (hi - lo) / (nMels - 1) : 0;
        for (int i = 0; i < nMels; i++) out[i] = melToHz(i == nMels - 1 && nMels > 1 ? hi : lo + i * step, htk);
        return out;
    }
}
