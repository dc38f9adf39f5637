package dev.ser.audio.resample;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.audio.io.Audio;
import dev.ser.audio.io.LibrosaReference;
import dev.ser.audio.io.WavReader;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Parity with {@code librosa.resample(y, orig_sr, target_sr, res_type='kaiser_best')} on the reference
 * clips, for 16 kHz and 22.05 kHz targets (where the clip's rate differs). Exact length, and
 * SNR = 10 log10(sum ref^2 / sum (ours - ref)^2) of at least 60 dB.
 *
 * <p>The SNR is taken away from the edges, skipping the first and last 64 output samples: there the
 * filter's 50-crossing wings hang over the signal's ends, the result depends on how zero padding is
 * rounded, and librosa's last sample is its zero padding. (In practice the edges match too; the
 * log prints both.) The polyphase (scipy resample_poly) references are a different filter, so their
 * SNR is logged, not checked.
 */
class ResamplerReferenceTest {
    static final List<String> CLIPS = LibrosaReference.CLIPS;
    static final int EDGE = 64;

    @ParameterizedTest
    @FieldSource("CLIPS")
    void matchesLibrosaKaiserBest(String clip) throws IOException {
        Audio audio = WavReader.read(LibrosaReference.clip(clip));
        for (int target : new int[] {16000, 22050}) {
            float[] ref = LibrosaReference.tensor(clip, "resample_" + target + "_kaiser_best");
            if (ref == null) {
                assertEquals(target, audio.sampleRate(), clip + " lacks a reference for " + target + " Hz");
                continue;
            }
            Resampler r = Resampler.of(audio.sampleRate(), target);
            float[] y = r.resample(audio.samples());
            assertEquals(ref.length, y.length, clip + " -> " + target + ": librosa's length ceil(n * sr_new / sr_orig)");
            assertEquals(ref.length, r.outputLength(audio.samples().length));
            double inner = snr(ref, y, EDGE), all = snr(ref, y, 0);
            String poly = "";
            if (LibrosaReference.sharedAvailable()) {
                float[] p = LibrosaReference.full(clip).floats("resample_" + target + "_polyphase");
                poly = String.format("  vs scipy polyphase %.1f dB", snr(p, y, EDGE));
            }
            System.out.printf("resample %-26s %5d -> %5d Hz  SNR vs kaiser_best %.1f dB (inner), %.1f dB (all)%s%n", clip,
                    audio.sampleRate(), target, inner, all, poly);
            assertTrue(inner >= 60, clip + " -> " + target + ": SNR " + inner + " dB < 60 dB");
        }
    }

    /** SNR in dB of {@code y} against {@code ref}, skipping {@code edge} samples at both ends. */
    static double snr(float[] ref, float[] y, int edge) {
        double signal = 0, noise = 0;
        int from = Math.min(edge, ref.length / 4), to = ref.length - from;
        for (int i = from; i < to; i++) {
            signal += (double) ref[i] * ref[i];
            double d = (double) y[i] - ref[i];
            noise += d * d;
        }
        return noise == 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(signal / noise);
    }
}
