package dev.ser.app.train;

import dev.ser.audio.resample.Resampler;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Waveform augmentation of training clips, drawn afresh every epoch: new speaker-like variation that
 * masking normalized features cannot give. With 15 training actors, the model learns the actors' voices;
 * these make each clip sound like a slightly different speaker and recording.
 *
 * <ul>
 *   <li><b>Speed perturbation</b> (Ko et al., 2015, "Audio augmentation for speech recognition"; Kaldi's
 *       {@code perturb_data_dir_speed.sh}, torchaudio's {@code SpeedPerturbation(orig_freq, factors)}): the
 *       samples are read as if recorded at {@code sr * factor} and resampled to {@code sr}, as {@code sox speed}
 *       does. Factor 1.1 is 10 % faster and 10 % higher in pitch and formants (a shorter vocal tract), 0.9
 *       slower and lower. One factor is drawn per clip per epoch from the list, uniformly.</li>
 *   <li><b>Additive white noise</b> at a signal-to-noise ratio drawn uniformly in [snrMin, snrMax] dB,
 *       relative to the clip's RMS.</li>
 * </ul>
 *
 * @param speeds speed factors to draw from (1.0 = unchanged); empty for none
 * @param snrMin lowest SNR in dB; NaN for no noise
 * @param snrMax highest SNR in dB
 */
public record WaveAugment(double[] speeds, double snrMin, double snrMax) {
    public static final WaveAugment NONE = new WaveAugment(new double[0], Double.NaN, Double.NaN);

    public WaveAugment {
        speeds = speeds.clone();
        for (double f : speeds)
            if (!(f >= 0.5 && f <= 2.0)) throw new IllegalArgumentException("--speed-perturb factors must be in [0.5, 2] (e.g. 0.9,1.0,1.1); got " + f);
        if (!Double.isNaN(snrMin) && !(snrMin <= snrMax))
            throw new IllegalArgumentException("--noise-snr MIN,MAX needs MIN <= MAX (dB, e.g. 10,40); got " + snrMin + "," + snrMax);
    }

    /** Parses {@code --speed-perturb 0.9,1.0,1.1} and {@code --noise-snr 10,40} (either may be null). */
    public static WaveAugment parse(String speeds, String snr) {
        double[] s = speeds == null ? new double[0] : numbers("--speed-perturb", speeds);
        double lo = Double.NaN, hi = Double.NaN;
        if (snr != null) {
            double[] r = numbers("--noise-snr", snr);
            if (r.length != 2) throw new IllegalArgumentException("--noise-snr expects MIN,MAX in dB (e.g. 10,40); got '" + snr + "'");
            lo = r[0];
            hi = r[1];
        }
        return new WaveAugment(s, lo, hi);
    }

    private static double[] numbers(String option, String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects comma-separated numbers; got '" + csv + "'");
        }
    }

    @Override public double[] speeds() { return speeds.clone(); }

    public boolean enabled() { return noise() || Arrays.stream(speeds).anyMatch(f -> f != 1.0); }

    boolean noise() { return !Double.isNaN(snrMin); }

    /** An augmented clip and the speed factor it was drawn (1 without speed perturbation). */
    public record Augmented(float[] samples, double speed) {}

    /** The augmented clip: a new array (the input is shared across epochs and stays untouched). */
    public float[] apply(float[] y, int sr, SplittableRandom rng) { return draw(y, sr, rng).samples(); }

    /** {@link #apply}, telling the factor drawn: clips sped up alike sound like one new speaker. */
    public Augmented draw(float[] y, int sr, SplittableRandom rng) {
        float[] out = y;
        double factor = 1.0;
        if (speeds.length > 0) out = speed(y, sr, factor = speeds[rng.nextInt(speeds.length)]);
        if (noise()) out = addNoise(out, snrMin + (snrMax - snrMin) * rng.nextDouble(), rng);
        return new Augmented(out == y ? y.clone() : out, factor);
    }

    /**
     * {@code sox speed factor}: the samples taken as {@code sr * factor} Hz, band-limited resampled to {@code sr}
     * (our kaiser_best resampler); about {@code n / factor} samples come back. The source rate is rounded to whole
     * hertz, so a factor is exact to 1/sr.
     */
    public static float[] speed(float[] y, int sr, double factor) {
        if (factor == 1.0) return y.clone();
        return Resampler.of((int) Math.round(sr * factor), sr).resample(y);
    }

    /** y plus Gaussian white noise with RMS = rms(y) / 10^(snr/20); a silent clip gets none. */
    public static float[] addNoise(float[] y, double snrDb, SplittableRandom rng) {
        double power = 0;
        for (float v : y) power += (double) v * v;
        double sigma = Math.sqrt(power / Math.max(1, y.length)) * Math.pow(10, -snrDb / 20);
        float[] out = new float[y.length];
        for (int i = 0; i < y.length; i++) out[i] = (float) (y[i] + sigma * rng.nextGaussian());
        return out;
    }

    public Map<String, Object> toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("speed_perturb", Arrays.stream(speeds).boxed().toList());
        m.put("noise_snr_db", noise() ? java.util.List.of(snrMin, snrMax) : null);
        return m;
    }

    @Override public boolean equals(Object o) {
        return o instanceof WaveAugment w && Arrays.equals(speeds, w.speeds) && Double.compare(snrMin, w.snrMin) == 0
                && Double.compare(snrMax, w.snrMax) == 0;
    }

    @Override public int hashCode() { return Arrays.hashCode(speeds) * 31 + Double.hashCode(snrMin) * 7 + Double.hashCode(snrMax); }

    @Override public String toString() { return "WaveAugment" + toJson(); }
}
