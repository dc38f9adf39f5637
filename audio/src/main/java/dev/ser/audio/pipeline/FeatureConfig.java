package dev.ser.audio.pipeline;

import dev.ser.audio.features.Yin;
import dev.ser.engine.io.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Everything that decides the numbers of a feature matrix, under librosa's parameter names, so that the
 * config saved beside a model (or in a feature file's metadata) recomputes exactly what training saw.
 *
 * <p>The JSON form ({@link #toMap()}, {@link #toJson()}) uses librosa's snake_case keys; {@link #fromMap}
 * reads it back, filling absent keys with the defaults and rejecting unknown ones. {@link #fingerprint()}
 * hashes the canonical JSON, so two configs that compute the same features have the same fingerprint
 * (feature order and duplicates do not matter: the layout is canonical, see {@link FeatureLayout}).
 *
 * @param sr          the model's sample rate: every input is resampled to it (librosa.load's {@code sr})
 * @param nFft        FFT size in samples ({@code n_fft}); 512 = 32 ms at 16 kHz
 * @param hopLength   samples between frames ({@code hop_length}); 160 = 10 ms at 16 kHz
 * @param winLength   Hann window length ({@code win_length}), zero-padded to n_fft; 400 = 25 ms at 16 kHz
 * @param nMels       mel bands ({@code n_mels})
 * @param nMfcc       cepstral coefficients kept ({@code n_mfcc})
 * @param fmin        lowest mel band edge in Hz ({@code fmin})
 * @param fmax        highest mel band edge in Hz; null means sr/2 as in librosa ({@code fmax=None})
 * @param htk         HTK mel formula instead of Slaney's ({@code htk})
 * @param norm        mel filter normalisation: "slaney" (librosa's default) or null for none ({@code norm})
 * @param lifter      cepstral liftering of the MFCCs, 0 = none ({@code lifter})
 * @param topDb       power_to_db's floor below the peak in dB; null = no floor ({@code top_db}, default 80)
 * @param nChroma     chroma bins ({@code n_chroma})
 * @param tuning      chroma tuning offset in fractions of a bin; null = estimate per clip as librosa does.
 *                    The default 0.0 avoids an estimate that on speech is mostly noise and that would make
 *                    the same sound map to different columns in different clips.
 * @param features    the features to compute, any order (stored in {@link Feature} order, no duplicates)
 * @param deltas      delta orders of the MFCCs to append ({@code librosa.feature.delta(order=...)}), e.g. [1, 2]
 * @param deltaWidth  frames in the delta filter ({@code width}, odd, >= 3; librosa's default 9)
 * @param resType     how input at another rate is resampled to sr: "kaiser_best", the only one we have
 *                    ({@code librosa.load(path, sr=sr, res_type="kaiser_best")}; note librosa 0.10's own
 *                    default is "soxr_hq", which we do not reproduce)
 * @param pitchFmin   the pitch feature's lowest F0 in Hz ({@code librosa.yin(fmin=...)}; default 65, about C2)
 * @param pitchFmax   its highest F0 in Hz ({@code fmax}; default 800: above a shouting or frightened voice)
 * @param pitchFrameLength samples YIN compares with their shift ({@code frame_length}; default 1024, 64 ms at
 *                    16 kHz, four periods of 65 Hz). The three pitch keys are written only when pitch is among the
 *                    features, so configs without it keep their JSON and fingerprint.
 */
public record FeatureConfig(int sr, int nFft, int hopLength, int winLength, int nMels, int nMfcc, double fmin,
                            Double fmax, boolean htk, String norm, int lifter, Double topDb, int nChroma,
                            Double tuning, List<Feature> features, List<Integer> deltas, int deltaWidth, String resType,
                            double pitchFmin, double pitchFmax, int pitchFrameLength) {

    /**
     * Bumped whenever the code computes different numbers for the same parameters (a fixed choice below
     * changes), so that a model trained on old features refuses new ones instead of silently degrading.
     * Fixed choices of version 1: mono = mean of the channels; window "hann"; center=True with
     * pad_mode="constant" (librosa 0.10's default); mel power 2.0; power_to_db ref=1.0, amin=1e-10;
     * MFCC dct_type=2, norm="ortho"; delta mode="interp"; chroma norm=inf; stft = magnitude.
     */
    public static final int PIPELINE_VERSION = 1;

    public FeatureConfig {
        features = canonical(features);
        deltas = List.copyOf(new TreeSet<>(deltas));
        validate(sr, nFft, hopLength, winLength, nMels, nMfcc, fmin, fmax, norm, lifter, topDb, nChroma, features, deltas,
                deltaWidth);
        if (features.contains(Feature.PITCH)) {
            pitchTracker(sr, hopLength, pitchFmin, pitchFmax, pitchFrameLength);
            if (pitchFrameLength % 2 != nFft % 2)   // centring pads frame_length // 2: parities must agree for equal frame counts
                throw new IllegalArgumentException("pitch_frame_length (" + pitchFrameLength + ") and n_fft (" + nFft + ") must be both even "
                        + "or both odd, so that the pitch frames line up with the STFT's");
        } else {
            // Without pitch its parameters are not part of the config (not in the JSON): keep them at the defaults so that
            // equal JSON means equal records.
            pitchFmin = DEFAULT_PITCH_FMIN;
            pitchFmax = DEFAULT_PITCH_FMAX;
            pitchFrameLength = DEFAULT_PITCH_FRAME_LENGTH;
        }
        if (!"kaiser_best".equals(resType))
            throw new IllegalArgumentException("res_type must be \"kaiser_best\" (the only resampler we have); found \"" + resType + "\"");
    }

    /** 16 kHz; 25 ms Hann windows every 10 ms in a 512-point FFT; 40 mels; 13 MFCCs with deltas 1, 2; log-mel; chroma. */
    public static FeatureConfig defaults() {
        return new FeatureConfig(16000, 512, 160, 400, 40, 13, 0.0, null, false, "slaney", 0, 80.0, 12, 0.0,
                List.of(Feature.MFCC, Feature.MEL, Feature.CHROMA), List.of(1, 2), 9, "kaiser_best",
                DEFAULT_PITCH_FMIN, DEFAULT_PITCH_FMAX, DEFAULT_PITCH_FRAME_LENGTH);
    }

    static final double DEFAULT_PITCH_FMIN = 65.0, DEFAULT_PITCH_FMAX = 800.0;
    static final int DEFAULT_PITCH_FRAME_LENGTH = 1024;
    /** YIN's threshold for a period's dip (librosa's default); fixed, not a key. */
    static final double PITCH_TROUGH_THRESHOLD = 0.1;

    /** The pitch feature's tracker; {@link Yin}'s checks, named by this config's keys, when the parameters cannot work. */
    public Yin pitchTracker() { return pitchTracker(sr, hopLength, pitchFmin, pitchFmax, pitchFrameLength); }

    private static Yin pitchTracker(int sr, int hop, double fmin, double fmax, int frameLength) {
        try {
            return new Yin(sr, frameLength, hop, fmin, fmax, PITCH_TROUGH_THRESHOLD);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("pitch (pitch_fmin, pitch_fmax, pitch_frame_length): " + e.getMessage(), e);
        }
    }

    private static List<Feature> canonical(List<Feature> features) {
        if (features == null || features.isEmpty())
            throw new IllegalArgumentException("no features selected; expected at least one of mfcc, mel, chroma, rms, zcr, centroid, pitch, stft");
        return List.copyOf(EnumSet.copyOf(features));
    }

    private static void validate(int sr, int nFft, int hop, int win, int nMels, int nMfcc, double fmin, Double fmax,
                                 String norm, int lifter, Double topDb, int nChroma, List<Feature> features,
                                 List<Integer> deltas, int deltaWidth) {
        positive("sr", sr);
        positive("n_fft", nFft);
        positive("hop_length", hop);
        positive("win_length", win);
        positive("n_mels", nMels);
        positive("n_mfcc", nMfcc);
        positive("n_chroma", nChroma);
        if (win > nFft)
            throw new IllegalArgumentException("win_length must be <= n_fft (the window is zero-padded to n_fft); found win_length="
                    + win + ", n_fft=" + nFft + ": raise n_fft or lower win_length");
        if (nMfcc > nMels && features.contains(Feature.MFCC))
            throw new IllegalArgumentException("n_mfcc must be <= n_mels (the DCT keeps the first n_mfcc of n_mels); found n_mfcc="
                    + nMfcc + ", n_mels=" + nMels);
        double top = fmax == null ? sr / 2.0 : fmax;
        if (!(fmin >= 0) || !(top > fmin) || top > sr / 2.0)
            throw new IllegalArgumentException("expected 0 <= fmin < fmax <= sr/2 = " + sr / 2.0 + " Hz; found fmin=" + fmin
                    + ", fmax=" + (fmax == null ? "None (sr/2)" : fmax));
        if (norm != null && !norm.equals("slaney"))
            throw new IllegalArgumentException("norm must be \"slaney\" or null (none); found \"" + norm + "\"");
        if (lifter < 0) throw new IllegalArgumentException("lifter must be >= 0 (0 = none); found " + lifter);
        if (topDb != null && !(topDb >= 0)) throw new IllegalArgumentException("top_db must be >= 0 or null; found " + topDb);
        for (int d : deltas)
            if (d < 1 || d > 2) throw new IllegalArgumentException("delta orders must be 1 or 2; found " + d);
        if (!deltas.isEmpty() && !features.contains(Feature.MFCC))
            throw new IllegalArgumentException("deltas are of the MFCCs, but mfcc is not among the features " + keys(features)
                    + ": add mfcc or drop the deltas");
        if (deltaWidth < 3 || deltaWidth % 2 == 0)
            throw new IllegalArgumentException("delta_width must be odd and >= 3 (librosa's rule); found " + deltaWidth);
    }

    private static void positive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be positive; found " + v);
    }

    private static List<String> keys(List<Feature> fs) {
        List<String> out = new ArrayList<>();
        for (Feature f : fs) out.add(f.key());
        return out;
    }

    /** fmax as used: sr/2 when none was given. */
    public double fmaxOrNyquist() { return fmax == null ? sr / 2.0 : fmax; }

    public boolean has(Feature f) { return features.contains(f); }

    /** The column layout of the matrix this config produces. */
    public FeatureLayout layout() { return FeatureLayout.of(this); }

    /** The JSON keys, in the order they are written. */
    public static final List<String> KEYS = List.of("pipeline_version", "sr", "n_fft", "hop_length", "win_length",
            "n_mels", "n_mfcc", "fmin", "fmax", "htk", "norm", "lifter", "top_db", "n_chroma", "tuning", "features",
            "deltas", "delta_width", "res_type", "pitch_fmin", "pitch_fmax", "pitch_frame_length");

    private static final List<String> PITCH_KEYS = List.of("pitch_fmin", "pitch_fmax", "pitch_frame_length");

    /** The config as JSON-ready values under librosa's names; {@link #fromMap} reads it back. */
    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("pipeline_version", (long) PIPELINE_VERSION);
        m.put("sr", (long) sr);
        m.put("n_fft", (long) nFft);
        m.put("hop_length", (long) hopLength);
        m.put("win_length", (long) winLength);
        m.put("n_mels", (long) nMels);
        m.put("n_mfcc", (long) nMfcc);
        m.put("fmin", fmin);
        m.put("fmax", fmax);
        m.put("htk", htk);
        m.put("norm", norm);
        m.put("lifter", (long) lifter);
        m.put("top_db", topDb);
        m.put("n_chroma", (long) nChroma);
        m.put("tuning", tuning);
        m.put("features", keys(features));
        List<Long> d = new ArrayList<>();
        for (int o : deltas) d.add((long) o);
        m.put("deltas", d);
        m.put("delta_width", (long) deltaWidth);
        m.put("res_type", resType);
        if (has(Feature.PITCH)) {
            m.put("pitch_fmin", pitchFmin);
            m.put("pitch_fmax", pitchFmax);
            m.put("pitch_frame_length", (long) pitchFrameLength);
        }
        return m;
    }

    public String toJson() { return Json.write(toMap()); }

    public static FeatureConfig fromJson(String json) { return fromMap(Json.parseObject(json)); }

    /** Reads {@link #toMap()}'s form; absent keys take {@link #defaults()}'s values, unknown keys are an error. */
    public static FeatureConfig fromMap(Map<String, ?> m) {
        Set<String> unknown = new TreeSet<>(m.keySet());
        KEYS.forEach(unknown::remove);
        if (!unknown.isEmpty())
            throw new IllegalArgumentException("unknown feature config key(s) " + unknown + "; the keys are " + KEYS);
        Map<String, Object> d = defaults().toMap();
        d.put("pitch_fmin", DEFAULT_PITCH_FMIN);
        d.put("pitch_fmax", DEFAULT_PITCH_FMAX);
        d.put("pitch_frame_length", (long) DEFAULT_PITCH_FRAME_LENGTH);
        Object version = m.containsKey("pipeline_version") ? m.get("pipeline_version") : (long) PIPELINE_VERSION;
        if (!(version instanceof Number n) || n.intValue() != PIPELINE_VERSION)
            throw new IllegalArgumentException("this feature config is of pipeline_version " + version + ", this build computes version "
                    + PIPELINE_VERSION + ": recompute the features (and retrain) with this build, or use the build that wrote it");
        Reader r = new Reader(m, d);
        List<Feature> features = new ArrayList<>();
        for (Object o : r.list("features")) {
            if (!(o instanceof String s)) throw new IllegalArgumentException("features: expected names like \"mfcc\", found " + o);
            features.add(Feature.of(s));
        }
        List<Integer> deltas = new ArrayList<>();
        for (Object o : r.list("deltas")) {
            if (!(o instanceof Number order) || order.doubleValue() != order.intValue())
                throw new IllegalArgumentException("deltas: expected integers like [1, 2], found " + o);
            deltas.add(order.intValue());
        }
        if (!features.contains(Feature.PITCH))
            for (String k : PITCH_KEYS)
                if (m.containsKey(k))
                    throw new IllegalArgumentException(k + " is set but pitch is not among the features " + r.list("features")
                            + ": add pitch or drop " + k);
        return new FeatureConfig(r.integer("sr"), r.integer("n_fft"), r.integer("hop_length"), r.integer("win_length"),
                r.integer("n_mels"), r.integer("n_mfcc"), r.number("fmin"), r.nullableNumber("fmax"), r.bool("htk"),
                r.nullableString("norm"), r.integer("lifter"), r.nullableNumber("top_db"), r.integer("n_chroma"),
                r.nullableNumber("tuning"), features, deltas, r.integer("delta_width"), r.nullableString("res_type"),
                r.number("pitch_fmin"), r.number("pitch_fmax"), r.integer("pitch_frame_length"));
    }

    /** A copy with one key changed, under its JSON name: {@code cfg.with("n_fft", 1024)}. */
    public FeatureConfig with(String key, Object value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, value);
        return with(m);
    }

    /** A copy with several keys changed at once (validated together: features without mfcc and no deltas). */
    public FeatureConfig with(Map<String, ?> changes) {
        Map<String, Object> m = toMap();
        for (var e : changes.entrySet()) {
            if (!KEYS.contains(e.getKey()))
                throw new IllegalArgumentException("unknown feature config key '" + e.getKey() + "'; the keys are " + KEYS);
            m.put(e.getKey(), e.getValue());
        }
        // Dropping pitch from the features drops the pitch keys this config carried (not ones the caller set).
        if (m.get("features") instanceof List<?> fs && !fs.contains(Feature.PITCH.key()))
            for (String k : PITCH_KEYS) if (!changes.containsKey(k)) m.remove(k);
        return fromMap(m);
    }

    /**
     * A short stable hash of the canonical JSON ("fc1-" and 16 hex digits of SHA-256), for cache keys and for
     * checking that a model's features match the ones being fed to it.
     */
    public String fingerprint() {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(toJson().getBytes(StandardCharsets.UTF_8));
            return "fc" + PIPELINE_VERSION + "-" + HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** Typed access to a parsed JSON object, with the default's value for an absent key. */
    private record Reader(Map<String, ?> m, Map<String, Object> defaults) {
        Object get(String k) { return m.containsKey(k) ? m.get(k) : defaults.get(k); }

        IllegalArgumentException wrong(String k, String expected) {
            return new IllegalArgumentException(k + ": expected " + expected + ", found " + Json.write(get(k)));
        }

        int integer(String k) {
            if (get(k) instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < Integer.MAX_VALUE)
                return n.intValue();
            throw wrong(k, "an integer");
        }

        double number(String k) {
            if (get(k) instanceof Number n) return n.doubleValue();
            throw wrong(k, "a number");
        }

        Double nullableNumber(String k) { return get(k) == null ? null : number(k); }

        boolean bool(String k) {
            if (get(k) instanceof Boolean b) return b;
            throw wrong(k, "true or false");
        }

        String nullableString(String k) {
            Object v = get(k);
            if (v == null || v instanceof String) return (String) v;
            throw wrong(k, "a string or null");
        }

        List<?> list(String k) {
            if (get(k) instanceof List<?> l) return l;
            throw wrong(k, "a list");
        }
    }
}
