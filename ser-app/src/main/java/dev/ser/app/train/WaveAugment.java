package dev.ser.app.train;

import dev.ser.audio.features.VocalTractWarp;
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
 *   <li><b>Vocal tract length perturbation</b> ({@link VocalTractWarp}; Jaitly &amp; Hinton, 2013): the spectrum the
 *       mel filterbank reads stretched by a factor drawn uniformly in [vtlpMin, vtlpMax], formants moving without
 *       the tempo or the pitch. One factor per <em>speaker</em> per epoch ({@link #vtlpFactors}), where the paper
 *       draws one per utterance: all of a training speaker's clips then sound like one new voice, which is what
 *       speaker-level normalization needs to standardize them as a group. Applied by the feature pipeline
 *       ({@code FeatureExtractor.compute(y, vtlp)}), not to the samples.</li>
 * </ul>
 *
 * @param speeds speed factors to draw from (1.0 = unchanged); empty for none
 * @param snrMin lowest SNR in dB; NaN for no noise
 * @param snrMax highest SNR in dB
 * @param vtlpMin lowest VTLP factor; NaN for none
 * @param vtlpMax highest VTLP factor
 */
public record WaveAugment(double[] speeds, double snrMin, double snrMax, double vtlpMin, double vtlpMax) {
    public static final WaveAugment NONE = new WaveAugment(new double[0], Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    public WaveAugment {
        speeds = speeds.clone();
        for (double f : speeds)
            if (!(f >= 0.5 && f <= 2.0)) throw new IllegalArgumentException("--speed-perturb factors must be in [0.5, 2] (e.g. 0.9,1.0,1.1); got " + f);
        if (!Double.isNaN(snrMin) && !(snrMin <= snrMax))
            throw new IllegalArgumentException("--noise-snr MIN,MAX needs MIN <= MAX (dB, e.g. 10,40); got " + snrMin + "," + snrMax);
        if (!Double.isNaN(vtlpMin) && !(0.7 <= vtlpMin && vtlpMin <= vtlpMax && vtlpMax <= 1.3))
            throw new IllegalArgumentException("--vtlp MIN,MAX needs 0.7 <= MIN <= MAX <= 1.3 (e.g. 0.9,1.1); got " + vtlpMin + "," + vtlpMax);
    }

    /** Parses {@code --speed-perturb 0.9,1.0,1.1} and {@code --noise-snr 10,40} (either may be null). */
    public static WaveAugment parse(String speeds, String snr) { return parse(speeds, snr, null); }

    /** {@link #parse(String, String)} and {@code --vtlp 0.9,1.1} (any of them may be null). */
    public static WaveAugment parse(String speeds, String snr, String vtlp) {
        double[] s = speeds == null ? new double[0] : numbers("--speed-perturb", speeds);
        double[] noise = range("--noise-snr", snr, "in dB (e.g. 10,40)"), warp = range("--vtlp", vtlp, "factors (e.g. 0.9,1.1)");
        return new WaveAugment(s, noise[0], noise[1], warp[0], warp[1]);
    }

    /** MIN,MAX of an option; NaN, NaN when it is absent. */
    private static double[] range(String option, String csv, String example) {
        if (csv == null) return new double[] {Double.NaN, Double.NaN};
        double[] r = numbers(option, csv);
        if (r.length != 2) throw new IllegalArgumentException(option + " expects MIN,MAX " + example + "; got '" + csv + "'");
        return r;
    }

    private static double[] numbers(String option, String csv) {
        try {
            return Arrays.stream(csv.split(",")).map(String::trim).filter(x -> !x.isEmpty()).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " expects comma-separated numbers; got '" + csv + "'");
        }
    }

    @Override public double[] speeds() { return speeds.clone(); }

    public boolean enabled() { return noise() || vtlp() || Arrays.stream(speeds).anyMatch(f -> f != 1.0); }

    boolean noise() { return !Double.isNaN(snrMin); }

    boolean vtlp() { return !Double.isNaN(vtlpMin); }

    /**
     * One VTLP factor per speaker, uniform in [vtlpMin, vtlpMax], drawn in the order given (1 for all without
     * {@code --vtlp}). The caller passes the speakers in a fixed order and a generator of its own, so that the
     * speed and noise draws are those of a run without VTLP.
     */
    public double[] vtlpFactors(int speakers, SplittableRandom rng) {
        double[] out = new double[speakers];
        for (int i = 0; i < speakers; i++) out[i] = vtlp() ? vtlpMin + (vtlpMax - vtlpMin) * rng.nextDouble() : 1.0;
        return out;
    }

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
        if (vtlp()) m.put("vtlp", java.util.List.of(vtlpMin, vtlpMax)); // absent when off: older runs stay resumable
        return m;
    }

    @Override public boolean equals(Object o) {
        return o instanceof WaveAugment w && Arrays.equals(speeds, w.speeds) && Double.compare(snrMin, w.snrMin) == 0
                && Double.compare(snrMax, w.snrMax) == 0 && Double.compare(vtlpMin, w.vtlpMin) == 0 && Double.compare(vtlpMax, w.vtlpMax) == 0;
    }

    @Override public int hashCode() {
        return java.util.Objects.hash(Arrays.hashCode(speeds), snrMin, snrMax, vtlpMin, vtlpMax);
    }

    @Override public String toString() { return "WaveAugment" + toJson(); }
}
