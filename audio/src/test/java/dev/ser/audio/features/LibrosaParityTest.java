package dev.ser.audio.features;

import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every feature tensor of every librosa 0.10.2 reference clip, recomputed from the clip's {@code decoded}
 * signal with the parameters its metadata records, compared with {@code ||ours - ref|| / ||ref|| <= 1e-4}
 * and identical shapes. Stages are chained as a user would chain them (our mel power feeds our dB, which
 * feeds our MFCC, which feeds our deltas), so the tolerance covers accumulated error.
 *
 * <p>Tolerances: 1e-4 for every array (librosa itself works in float32, so ~1e-7 is the noise floor;
 * we measure ~1e-6 from the float FFT). The estimated tuning must land in the same 0.01 histogram bin
 * (difference <= 1e-9). The trim interval must be exact.
 */
class LibrosaParityTest {

    static final List<String> clips = LibrosaReferences.CLIPS;
    static final double TOLERANCE = 1e-4;
    /** Worst relative error per feature kind (the tensor name before the dot), across clips. */
    private static final Map<String, Double> worst = new TreeMap<>();

    @BeforeAll
    static void announce() {
        System.out.println("[LibrosaParityTest] references from " + LibrosaReferences.source());
    }

    @AfterAll
    static void summary() {
        System.out.println("[LibrosaParityTest] worst relative error per feature across clips:");
        worst.forEach((k, v) -> System.out.printf("    %-24s %.3e%n", k, v));
    }

    @ParameterizedTest
    @FieldSource("clips")
    void everyTensorMatchesLibrosa(String clip) {
        SafeTensors st = LibrosaReferences.load(clip);
        Map<String, Map<String, Object>> features = LibrosaReferences.features(st);
        int sr = Integer.parseInt(st.metadata().get("sample_rate"));
        float[] y = st.floats("decoded");

        // Every stored tensor must have a description, and every description is checked below.
        for (String name : st.names()) assertTrue(features.containsKey(name), clip + ": tensor " + name + " has no metadata");
        Computed ours = new Computed();
        List<String> failures = new ArrayList<>();
        List<String> names = new ArrayList<>(features.keySet());
        names.sort(Comparator.comparingInt((String n) -> ORDER.indexOf(kindOf(n)) < 0 ? ORDER.size() : ORDER.indexOf(kindOf(n)))
                .thenComparing(Comparator.naturalOrder()));
        for (String name : names) {
            Map<String, Object> p = features.get(name);
            String kind = kindOf(name);
            if (kind.startsWith("resample_")) continue; // resampling references: dev.ser.audio.resample's tests check them
            switch (kind) {
                case "decoded" -> { /* the input itself */ }
                case "estimated_tuning" -> {
                    double t = Tuning.estimateTuning(y, sr, integer(p, "n_fft"), integer(p, "hop_length"));
                    double ref = st.doubles(name)[0];
                    System.out.printf("  %-24s %-24s ours %.2f librosa %.2f%n", clip, name, t, ref);
                    if (Math.abs(t - ref) > 1e-9) failures.add(name + ": ours " + t + ", librosa " + ref);
                }
                case "trim_interval" -> {
                    Trim.Interval iv = Trim.interval(y, number(p, "top_db"), integer(p, "frame_length"), integer(p, "hop_length"));
                    double[] ref = st.doubles(name);
                    System.out.printf("  %-24s %-24s ours [%d, %d) librosa [%d, %d)%n", clip, name, iv.start(), iv.end(),
                            (long) ref[0], (long) ref[1]);
                    if (iv.start() != ref[0] || iv.end() != ref[1])
                        failures.add(name + ": ours [" + iv.start() + ", " + iv.end() + "), librosa " + Arrays.toString(ref));
                }
                case "mfcc_delta1", "mfcc_delta2" -> {
                    Matrix mfcc = ours.get("mfcc" + name.substring(name.indexOf('.')));
                    int width = integer(p, "width"), order = integer(p, "order");
                    if (!st.has(name)) {
                        // librosa raised ParameterError (fewer frames than width); so must we.
                        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Deltas.delta(mfcc, width, order),
                                clip + ": librosa raised for " + name + " (" + p.get("note") + ") but we did not");
                        System.out.printf("  %-24s %-24s raises like librosa: %s%n", clip, name, e.getMessage());
                        continue;
                    }
                    compare(clip, name, kind, Deltas.delta(mfcc, width, order), st, failures);
                }
                default -> compare(clip, name, kind, ours.compute(name, kind, p, sr, y), st, failures);
            }
        }
        assertTrue(failures.isEmpty(), clip + ": " + String.join("; ", failures));
    }

    /** Dependency order: later stages chain on our earlier results. */
    private static final List<String> ORDER = List.of("stft_mag", "mel_filterbank", "mel_power", "mel_db", "mfcc", "mfcc_delta1",
            "mfcc_delta2", "rms", "zcr", "spectral_centroid", "chroma", "estimated_tuning", "trim_interval", "decoded");

    private static String kindOf(String name) {
        return name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
    }

    private static void compare(String clip, String name, String kind, Matrix m, SafeTensors st, List<String> failures) {
        assertArrayEquals(st.shape(name), m.shape(), clip + ": " + name + " shape");
        double[] ref = st.doubles(name);
        double err = LibrosaReferences.relativeError(m.data(), ref);
        worst.merge(kind, err, Math::max);
        System.out.printf("  %-24s %-24s %-12s rel %.3e%n", clip, name, Arrays.toString(m.shape()), err);
        if (!(err <= TOLERANCE)) failures.add(name + ": relative error " + err + " > " + TOLERANCE + ", " + LibrosaReferences.worstElement(m, ref));
    }

    /** Our results by tensor name, computed on demand so later stages chain on earlier ones. */
    private static final class Computed {
        private final Map<String, Matrix> done = new TreeMap<>();
        private final Map<String, Map<String, Object>> params = new TreeMap<>();
        private int sr;
        private float[] y;

        Matrix get(String name) {
            Matrix m = done.get(name);
            if (m == null) throw new IllegalStateException(name + " not computed yet");
            return m;
        }

        Matrix compute(String name, String kind, Map<String, Object> p, int sr, float[] y) {
            this.sr = sr;
            this.y = y;
            params.put(name, p);
            String k = name.substring(name.indexOf('.') + 1);
            Matrix m = switch (kind) {
                case "stft_mag" -> stft(p).magnitude(y);
                case "mel_filterbank" -> filterbank(p).weights();
                case "mel_power" -> new MelSpectrogram(stft(p), filterbank(p), number(p, "power")).compute(y);
                case "mel_db" -> PowerToDb.powerToDb(need("mel_power." + k), number(p, "ref"), number(p, "amin"), number(p, "top_db"));
                case "mfcc" -> {
                    Matrix db = need("mel_db." + k);
                    assertEquals(2, integer(p, "dct_type"));
                    assertEquals("ortho", p.get("norm"));
                    yield new Mfcc(integer(p, "n_mfcc"), db.rows(), integer(p, "lifter")).fromLogMel(db);
                }
                case "rms" -> Rms.rms(y, integer(p, "frame_length"), integer(p, "hop_length"), (Boolean) p.get("center"));
                case "zcr" -> ZeroCrossingRate.zeroCrossingRate(y, integer(p, "frame_length"), integer(p, "hop_length"), (Boolean) p.get("center"));
                case "spectral_centroid" -> SpectralCentroid.spectralCentroid(y, sr, stft(p));
                case "chroma" -> {
                    assertEquals("inf", p.get("norm"));
                    Chroma chroma = new Chroma(sr, new Stft(integer(p, "n_fft"), integer(p, "hop_length")), integer(p, "n_chroma"));
                    yield chroma.compute(y, p.get("tuning") == null ? null : number(p, "tuning"));
                }
                default -> throw new AssertionError("no check written for reference tensor " + name + " (" + p.get("fn") + ")");
            };
            done.put(name, m);
            return m;
        }

        private Matrix need(String name) {
            if (!done.containsKey(name)) throw new IllegalStateException("dependency " + name + " missing");
            return done.get(name);
        }

        private Stft stft(Map<String, Object> p) {
            int nFft = integer(p, "n_fft");
            Object win = p.get("win_length");
            assertEquals("hann", p.getOrDefault("window", "hann"));
            assertEquals("constant", p.getOrDefault("pad_mode", "constant"));
            return new Stft(nFft, integer(p, "hop_length"), win == null ? nFft : ((Number) win).intValue(), (Boolean) p.get("center"));
        }

        private MelFilterbank filterbank(Map<String, Object> p) {
            Object fmax = p.get("fmax");
            Object norm = p.get("norm");
            return new MelFilterbank(sr, integer(p, "n_fft"), integer(p, "n_mels"), number(p, "fmin"),
                    fmax == null ? sr / 2.0 : ((Number) fmax).doubleValue(), (Boolean) p.get("htk"),
                    norm == null ? MelFilterbank.Norm.NONE : MelFilterbank.Norm.SLANEY);
        }
    }

    static int integer(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (!(v instanceof Number n)) throw new AssertionError("metadata lacks numeric " + key + ": " + p);
        return n.intValue();
    }

    static double number(Map<String, Object> p, String key) {
        Object v = p.get(key);
        if (!(v instanceof Number n)) throw new AssertionError("metadata lacks numeric " + key + ": " + p);
        return n.doubleValue();
    }
}
