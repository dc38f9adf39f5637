package dev.ser.audio.pipeline;

import dev.ser.audio.io.WavReader;
import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The whole pipeline against librosa 0.10.2 on a real WAV file (shared/reference/librosa, written by
 * librosa itself): every block of the matrix equals the librosa call it stands for, transposed. The
 * per-feature maths is tested in dev.ser.audio.features; this checks the wiring: parameters passed
 * through, one shared STFT, column order, orientation. Tolerance: relative L2 error 1e-4, because the
 * features run in float (librosa's STFT is float64 then cast) and dB/MFCC values amplify rounding near the
 * top_db floor; the measured errors are printed.
 */
class FeatureExtractorReferenceTest {
    static final Path REF = Path.of("..", "..", "shared", "reference", "librosa");

    static SafeTensors reference(String clip) throws IOException {
        Path f = REF.resolve(clip + ".safetensors");
        Assumptions.assumeTrue(Files.isRegularFile(f), "skipped: no librosa reference at " + f.toAbsolutePath().normalize()
                + " (the shared checkout beside the project)");
        return SafeTensors.read(f);
    }

    static double relativeError(float[] ours, double[] ref) {
        assertEquals(ref.length, ours.length, "element count");
        double diff = 0, norm = 0;
        for (int i = 0; i < ref.length; i++) {
            diff += (ours[i] - ref[i]) * (ours[i] - ref[i]);
            norm += ref[i] * ref[i];
        }
        return norm == 0 ? Math.sqrt(diff) : Math.sqrt(diff / norm);
    }

    /** Block {@code name} of m, in librosa's [width x frames] orientation. */
    static float[] librosaBlock(FeatureMatrix m, String name) {
        FeatureLayout.Range r = m.layout().range(name);
        float[] out = new float[r.width() * m.frames()];
        for (int i = 0; i < r.width(); i++)
            for (int t = 0; t < m.frames(); t++) out[i * m.frames() + t] = m.get(t, r.start() + i);
        return out;
    }

    static void check(FeatureMatrix m, String block, SafeTensors ref, String tensor, double tolerance) {
        int[] shape = ref.shape(tensor);
        assertArrayEquals(new int[] {m.layout().range(block).width(), m.frames()}, shape, block + " shape vs " + tensor);
        double err = relativeError(librosaBlock(m, block), ref.doubles(tensor));
        System.out.printf("pipeline %-12s vs librosa %-24s relative L2 error %.2e%n", block, tensor, err);
        assertTrue(err < tolerance, block + " vs " + tensor + ": relative error " + err + " > " + tolerance);
    }

    @Test
    void everyBlockMatchesLibrosaOnSpeech() throws IOException {
        SafeTensors ref = reference("speech_espeak_16k_pcm16");
        FeatureConfig c = FeatureConfig.defaults().with("features", List.of("mfcc", "mel", "rms", "zcr", "centroid", "stft"));
        FeatureMatrix m = new FeatureExtractor(c).extract(REF.resolve("clips/speech_espeak_16k_pcm16.wav"));
        check(m, "mfcc", ref, "mfcc.0", 1e-4);
        check(m, "mfcc_delta", ref, "mfcc_delta1.0", 1e-4);
        check(m, "mfcc_delta2", ref, "mfcc_delta2.0", 1e-4);
        check(m, "mel", ref, "mel_db.0", 1e-4);
        check(m, "rms", ref, "rms.0", 1e-4);
        check(m, "zcr", ref, "zcr.0", 1e-4);
        check(m, "centroid", ref, "spectral_centroid.0", 1e-4);
        check(m, "stft", ref, "stft_mag.0", 1e-4);
    }

    @Test
    void chromaMatchesLibrosaWithFixedAndEstimatedTuning() throws IOException {
        SafeTensors ref = reference("speech_espeak_16k_pcm16");
        Map<String, Object> chromaOnly = new HashMap<>(Map.of("n_fft", 2048, "hop_length", 512, "win_length", 2048,
                "features", List.of("chroma"), "deltas", List.of()));
        Path wav = REF.resolve("clips/speech_espeak_16k_pcm16.wav");
        check(new FeatureExtractor(FeatureConfig.defaults().with(chromaOnly)).extract(wav), "chroma", ref, "chroma.tuning0", 1e-4);
        chromaOnly.put("tuning", null);
        check(new FeatureExtractor(FeatureConfig.defaults().with(chromaOnly)).extract(wav), "chroma", ref, "chroma.tuning_estimated", 1e-4);
    }

    @Test
    void decodeAndResampleMatchLibrosaLoadAt16k() throws IOException {
        SafeTensors ref = reference("tone_noise_48k_float32");
        FeatureExtractor x = new FeatureExtractor(FeatureConfig.defaults());
        float[] y = x.toModelRate(WavReader.read(REF.resolve("clips/tone_noise_48k_float32.wav")));
        double err = relativeError(y, ref.doubles("resample_16000_kaiser_best"));
        System.out.printf("pipeline decode+resample 48k->16k vs librosa kaiser_best: relative L2 error %.2e%n", err);
        assertTrue(err < 1e-3, "resampled signal: relative error " + err); // 60 dB, the resampler's own bar
    }
}
