package dev.ser.audio.features;

import dev.ser.audio.pipeline.FeatureConfig;
import dev.ser.audio.pipeline.FeatureExtractor;
import dev.ser.audio.pipeline.FeatureLayout;
import dev.ser.audio.pipeline.FeatureMatrix;
import dev.ser.engine.io.SafeTensors;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every fast path of the feature pipeline against the plain version kept beside it, on fresh random inputs:
 * vector log10 vs {@code Math.log10}, {@code powerToDb} vs {@code powerToDbPlain}, {@code Stft.powerFrame} vs
 * {@code Stft.power}, the mel and chroma frame kernels vs the whole-matrix products, {@code Mfcc.fromLogMel}
 * and {@code Deltas.delta} vs their double-precision references, and the one-pass pipeline
 * ({@code FeatureExtractor} at the defaults) vs the same features assembled stage by stage from the plain
 * versions. Tolerances are float rounding: each says where it comes from; the worst error is printed.
 * The one-pass pipeline is also checked against librosa's own output where the references are present.
 */
class FastPathsTest {

    /** A voice-like test signal: a gliding harmonic tone in noise, with a stretch of digital silence. */
    static float[] signal(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] y = new float[n];
        double phase = 0, f0 = 100 + 150 * r.nextDouble();
        for (int i = 0; i < n; i++) {
            phase += 2 * Math.PI * f0 * (1 + 0.1 * Math.sin(2 * Math.PI * 3 * i / 16000.0)) / 16000;
            double v = 0;
            for (int h = 1; h <= 8; h++) v += Math.sin(h * phase) / h;
            y[i] = (float) (0.2 * v + 0.01 * (r.nextDouble() - 0.5));
        }
        for (int i = n / 3; i < n / 3 + Math.min(2000, n / 5); i++) y[i] = 0f; // silence: all-zero frames in mid-clip
        return y;
    }

    @Test
    void vectorLog10IsWithinThreeUlpsOfMathLog10() {
        SplittableRandom r = new SplittableRandom(1);
        int n = 1 << 16;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = Math.max(Float.MIN_NORMAL, (float) Math.pow(10, -37.9 + 76 * r.nextDouble())); // normal floats
        // The branch points of the reduction: powers of two, sqrt(2) and its neighbours, 1 and its neighbours.
        float[] edges = {1f, Math.nextUp(1f), Math.nextDown(1f), (float) Math.sqrt(2), Math.nextUp((float) Math.sqrt(2)),
                Math.nextDown((float) Math.sqrt(2)), 2f, 0.5f, 10f, 1e-10f, Float.MIN_NORMAL, Float.MAX_VALUE, 0.70710677f};
        System.arraycopy(edges, 0, x, 0, edges.length);
        float[] out = new float[n];
        var s = FloatVector.SPECIES_PREFERRED;
        for (int i = 0; i < n; i += s.length()) PowerToDb.log10(FloatVector.fromArray(s, x, i)).intoArray(out, i);
        double worstUlps = 0;
        float worstAt = 0;
        for (int i = 0; i < n; i++) {
            double exact = Math.log10(x[i]);
            // ulps of the float result; near log10 = 0 (x near 1) count against the ulp of 1e-7 as an absolute floor.
            double ulps = Math.abs(out[i] - exact) / Math.max(Math.ulp((float) exact), Math.ulp(1e-7f));
            if (ulps > worstUlps) { worstUlps = ulps; worstAt = x[i]; }
        }
        System.out.printf("[FastPathsTest] vector log10: worst %.2f ulp (at x = %s) over %d floats%n", worstUlps, worstAt, n);
        assertTrue(worstUlps <= 3.0, "vector log10 is " + worstUlps + " ulp from Math.log10 at " + worstAt);
    }

    @Test
    void powerToDbMatchesThePlainVersion() {
        SplittableRandom r = new SplittableRandom(2);
        for (int n : new int[] {1, 7, 8, 9, 40 * 241, 1003}) {
            float[] s = new float[n];
            for (int i = 0; i < n; i++) s[i] = (float) Math.pow(10, -14 + 16 * r.nextDouble());
            if (n > 5) { s[1] = 0f; s[2] = -3f; s[3] = 1e-45f; s[4] = Float.NaN; s[5] = Float.POSITIVE_INFINITY; }
            Matrix m = new Matrix(1, n, s);
            for (double topDb : new double[] {80, Double.POSITIVE_INFINITY})
                for (double ref : new double[] {1.0, 3.5e-3}) {
                    float[] fast = PowerToDb.powerToDb(m, ref, 1e-10, topDb).data();
                    float[] plain = PowerToDb.powerToDbPlain(m, ref, 1e-10, topDb).data();
                    for (int i = 0; i < n; i++) {
                        if (Float.isNaN(plain[i]) || Float.isInfinite(plain[i])) { assertEquals(plain[i], fast[i], "element " + i); continue; }
                        // Three float ulps of log10 (times 10) plus the float subtraction of the offset.
                        assertEquals(plain[i], fast[i], 3e-6 * Math.max(1, Math.abs(plain[i])), "n=" + n + " element " + i);
                    }
                }
        }
        // A floor below float's smallest normal takes the plain path, bit for bit.
        Matrix tiny = new Matrix(1, 3, new float[] {0f, 1e-44f, 1f});
        assertArrayEquals(PowerToDb.powerToDbPlain(tiny, 1.0, 1e-45, 300).data(), PowerToDb.powerToDb(tiny, 1.0, 1e-45, 300).data());
    }

    @Test
    void powerFrameMatchesTheStftPowerSpectrogram() {
        int[][] configs = {{512, 160, 400}, {2048, 512, 2048}, {512, 128, 512}, {256, 64, 200}, {255, 100, 255}, {16, 4, 16}};
        for (int[] c : configs) {
            Stft stft = new Stft(c[0], c[1], c[2], true);
            float[] y = signal(9000, c[0]);
            Matrix plain = stft.power(y);
            float[] buf = new float[c[0]], pow = new float[stft.nBins()];
            double worst = 0;
            for (int t = 0; t < plain.cols(); t++) {
                stft.powerFrame(y, t, buf, pow);
                for (int k = 0; k < pow.length; k++) {
                    float p = plain.get(k, t);
                    // |X| rounded to float then squared (the plain one, as numpy) vs one rounding of Re^2 + Im^2: a few
                    // float ulps relative, plus an absolute floor for bins that are rounding noise around zero.
                    double err = Math.abs(pow[k] - p) / (Math.abs(p) + 1e-30f);
                    if (Math.abs(pow[k] - p) > 4e-7 * Math.abs(p) + 1e-20)
                        throw new AssertionError("n_fft=" + c[0] + " frame " + t + " bin " + k + ": fast " + pow[k] + ", plain " + p);
                    if (p > 1e-20) worst = Math.max(worst, err);
                }
            }
            System.out.printf("[FastPathsTest] Stft.powerFrame vs power, n_fft=%d: worst relative %.2e%n", c[0], worst);
        }
    }

    @Test
    void melAndChromaFrameKernelsMatchTheMatrixProducts() {
        record Mel(double sr, int nFft, int nMels, double fmin, double fmax, boolean htk, MelFilterbank.Norm norm) {}
        List<Mel> mels = List.of(new Mel(16000, 512, 40, 0, 8000, false, MelFilterbank.Norm.SLANEY),
                new Mel(22050, 2048, 128, 0, 11025, false, MelFilterbank.Norm.SLANEY),
                new Mel(16000, 512, 128, 0, 8000, false, MelFilterbank.Norm.SLANEY), // bands with no bins
                new Mel(16000, 512, 23, 300, 6000, true, MelFilterbank.Norm.NONE),
                new Mel(8000, 256, 13, 50, 5000, false, MelFilterbank.Norm.SLANEY)); // fmax above Nyquist
        for (Mel c : mels) {
            Stft stft = new Stft(c.nFft(), c.nFft() / 4, c.nFft(), true);
            MelFilterbank fb = new MelFilterbank(c.sr(), c.nFft(), c.nMels(), c.fmin(), c.fmax(), c.htk(), c.norm());
            Chroma chroma = new Chroma(c.sr(), stft, c.nMels() % 2 == 0 ? 12 : 7);
            double tuning = c.htk() ? -0.23 : 0.0;
            float[] y = signal(12000, c.nMels());
            MelChroma.Result fast = new MelChroma(stft, fb, chroma).compute(y, tuning);
            MelChroma.Result plain = new MelChroma(stft, fb, chroma).computePlain(y, tuning);
            // Sums of non-negative terms: float accumulation in another order is within ~1e-6 relative per band.
            double melErr = maxRelative(fast.melPower().data(), plain.melPower().data(), 1e-30);
            // Chroma is normalised to a maximum of 1 per frame: an absolute tolerance.
            double chromaErr = maxAbsolute(fast.chroma().data(), plain.chroma().data());
            System.out.printf("[FastPathsTest] one-pass vs stage by stage, %s: mel worst relative %.2e, chroma worst absolute %.2e%n",
                    c, melErr, chromaErr);
            assertTrue(melErr < 2e-6, "mel " + c + ": " + melErr);
            assertTrue(chromaErr < 2e-6, "chroma " + c + ": " + chromaErr);
            // MelSpectrogram (its own frame loop) agrees too.
            double msErr = maxRelative(new MelSpectrogram(stft, fb, 2.0).compute(y).data(), plain.melPower().data(), 1e-30);
            assertTrue(msErr < 2e-6, "MelSpectrogram " + c + ": " + msErr);
        }
    }

    @Test
    void mfccAndDeltasMatchTheirReferences() {
        SplittableRandom r = new SplittableRandom(3);
        for (int frames : new int[] {9, 10, 17, 31, 241, 1000}) {
            float[] db = new float[40 * frames];
            for (int i = 0; i < db.length; i++) db[i] = (float) (-80 + 80 * r.nextDouble());
            Matrix logMel = new Matrix(40, frames, db);
            for (int lifter : new int[] {0, 22}) {
                Mfcc mfcc = new Mfcc(13, 40, lifter);
                Matrix fast = mfcc.fromLogMel(logMel), plain = mfcc.fromLogMelPlain(logMel);
                // 40 products of |b| <= 0.23 (x22/2 with the lifter) and |x| <= 80: float rounding of sums of ~500.
                double err = maxAbsolute(fast.data(), plain.data());
                assertTrue(err < 2e-4 * (lifter == 0 ? 1 : 12), "mfcc frames=" + frames + " lifter=" + lifter + ": " + err);
                for (int width : new int[] {3, 5, 9})
                    for (int order : new int[] {1, 2, 3}) {
                        if (width > frames || order >= width) continue; // librosa (scipy) raises for polyorder >= width
                        double d = maxAbsolute(Deltas.delta(plain, width, order).data(), Deltas.deltaPlain(plain, width, order).data());
                        // Weights rounded to float, fma sums of |x| <= ~500: ~1e-7 relative of sum |w x|.
                        assertTrue(d < 5e-4, "delta width=" + width + " order=" + order + " frames=" + frames + ": " + d);
                    }
            }
        }
    }

    @Test
    void onePassPipelineMatchesTheStagesAssembledFromThePlainVersions() {
        List<Map<String, Object>> configs = new ArrayList<>();
        configs.add(Map.of());
        configs.add(Map.of("n_fft", 2048, "hop_length", 512, "win_length", 2048, "deltas", List.of()));
        configs.add(Map.of("htk", true, "lifter", 22, "fmin", 60.0, "n_mels", 64, "n_mfcc", 20, "delta_width", 5, "tuning", 0.31));
        configs.add(new HashMap<>(Map.of("features", List.of("mel"), "deltas", List.of())));
        configs.add(new HashMap<>(Map.of("features", List.of("chroma"), "deltas", List.of(), "n_chroma", 24)));
        configs.getLast().put("top_db", null);
        for (Map<String, Object> overrides : configs) {
            FeatureConfig config = FeatureConfig.defaults().with(overrides);
            FeatureExtractor extractor = new FeatureExtractor(config);
            for (int n : new int[] {38_230, 9 * config.hopLength(), 4000}) {
                float[] y = signal(n, n + overrides.hashCode());
                Stft stft = new Stft(config.nFft(), config.hopLength(), config.winLength(), true);
                if (stft.frameCount(n) < config.deltaWidth() && !config.deltas().isEmpty()) continue;
                FeatureMatrix fast = extractor.compute(y);
                Map<String, Matrix> plain = plainPipeline(config, stft, y);
                for (FeatureLayout.Range range : config.layout().ranges()) {
                    Matrix ref = plain.get(range.name());
                    float[] ours = block(fast, range);
                    double rel = LibrosaReferences.relativeError(ours, toDouble(ref.data()));
                    assertTrue(rel < 2e-6, overrides + " n=" + n + " " + range.name() + ": relative L2 " + rel);
                    if (n == 38_230) System.out.printf("[FastPathsTest] one-pass pipeline %s, %s: relative L2 vs plain %.2e%n",
                            overrides, range.name(), rel);
                }
            }
        }
    }

    @Test
    void onePassPipelineMatchesLibrosa() {
        if (!LibrosaReferences.sharedAvailable()) return; // the in-jar references have no clip at these settings
        SafeTensors ref = LibrosaReferences.load("speech_espeak_16k_pcm16");
        FeatureExtractor extractor = new FeatureExtractor(FeatureConfig.defaults());
        FeatureMatrix m = extractor.compute(ref.floats("decoded"));
        Map<String, String> tensors = Map.of("mfcc", "mfcc.0", "mfcc_delta", "mfcc_delta1.0", "mfcc_delta2", "mfcc_delta2.0",
                "mel", "mel_db.0");
        tensors.forEach((block, tensor) -> {
            assertArrayEquals(ref.shape(tensor), new int[] {m.layout().range(block).width(), m.frames()}, tensor + " shape");
            double err = LibrosaReferences.relativeError(block(m, m.layout().range(block)), ref.doubles(tensor));
            System.out.printf("[FastPathsTest] one-pass pipeline %-11s vs librosa %-14s relative L2 %.2e%n", block, tensor, err);
            assertTrue(err < 1e-4, block + " vs " + tensor + ": " + err);
        });
    }

    /** Every block the stage-by-stage way, each stage its plain version: the reference for the one-pass pipeline. */
    static Map<String, Matrix> plainPipeline(FeatureConfig c, Stft stft, float[] y) {
        Map<String, Matrix> out = new HashMap<>();
        Matrix power = stft.power(y);
        MelFilterbank fb = new MelFilterbank(c.sr(), c.nFft(), c.nMels(), c.fmin(), c.fmaxOrNyquist(), c.htk(),
                c.norm() == null ? MelFilterbank.Norm.NONE : MelFilterbank.Norm.SLANEY);
        Matrix db = PowerToDb.powerToDbPlain(fb.apply(power), 1.0, 1e-10, c.topDb() == null ? Double.POSITIVE_INFINITY : c.topDb());
        out.put("mel", db);
        Matrix mfcc = new Mfcc(c.nMfcc(), c.nMels(), c.lifter()).fromLogMelPlain(db);
        out.put("mfcc", mfcc);
        for (int order : c.deltas()) out.put(order == 1 ? "mfcc_delta" : "mfcc_delta" + order, Deltas.deltaPlain(mfcc, c.deltaWidth(), order));
        out.put("chroma", new Chroma(c.sr(), stft, c.nChroma()).fromPower(power, c.tuning()));
        return out;
    }

    static float[] block(FeatureMatrix m, FeatureLayout.Range r) {
        float[] out = new float[r.width() * m.frames()];
        for (int i = 0; i < r.width(); i++)
            for (int t = 0; t < m.frames(); t++) out[i * m.frames() + t] = m.get(t, r.start() + i);
        return out;
    }

    static double[] toDouble(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) d[i] = x[i];
        return d;
    }

    static double maxRelative(float[] a, float[] b, double floor) {
        assertEquals(b.length, a.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / (Math.abs(b[i]) + floor));
        return worst;
    }

    static double maxAbsolute(float[] a, float[] b) {
        assertEquals(b.length, a.length);
        double worst = 0;
        for (int i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
        return worst;
    }
}
