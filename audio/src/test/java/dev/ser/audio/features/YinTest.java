package dev.ser.audio.features;

import dev.ser.engine.io.Json;
import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link Yin} against librosa 0.11's yin ({@code librosa-pitch/yin.safetensors.gz}, made by
 * {@code make_yin_reference.py} beside it: espeak speech with two parameter sets, and a harmonic glide followed by
 * noise and silence), and against what a pitch tracker must get right whatever librosa does.
 */
class YinTest {

    @Test
    void matchesLibrosaFrameByFrame() throws IOException {
        SafeTensors ref = YinReference.load();
        @SuppressWarnings("unchecked")
        Map<String, Object> cases = (Map<String, Object>) Json.parseObject(ref.metadata().get("yin")).get("cases");
        assertEquals(3, cases.size(), "cases in the reference");
        for (var c : cases.entrySet()) {
            @SuppressWarnings("unchecked") Map<String, Object> p = (Map<String, Object>) c.getValue();
            Yin yin = new Yin(((Number) p.get("sr")).intValue(), ((Number) p.get("frame_length")).intValue(),
                    ((Number) p.get("hop_length")).intValue(), ((Number) p.get("fmin")).doubleValue(),
                    ((Number) p.get("fmax")).doubleValue(), ((Number) p.get("trough_threshold")).doubleValue());
            Yin.Track ours = yin.track(ref.floats((String) p.get("input")));
            double[] f0 = ref.doubles(c.getKey() + ".f0"), aperiodicity = ref.doubles(c.getKey() + ".aperiodicity");
            assertEquals(f0.length, ours.frames(), c.getKey() + ": frames");
            double worstF0 = 0, worstAperiodicity = 0;
            for (int t = 0; t < f0.length; t++) {
                worstF0 = Math.max(worstF0, Math.abs(ours.f0()[t] - f0[t]) / f0[t]);
                worstAperiodicity = Math.max(worstAperiodicity, Math.abs(ours.aperiodicity()[t] - aperiodicity[t]));
                assertEquals(f0[t], ours.f0()[t], 1e-12 * f0[t], c.getKey() + ": f0 at frame " + t);
                assertEquals(aperiodicity[t], ours.aperiodicity()[t], 1e-12, c.getKey() + ": aperiodicity at frame " + t);
            }
            System.out.printf("yin %-18s %d frames: worst f0 relative error %.1e, aperiodicity %.1e%n", c.getKey(), f0.length,
                    worstF0, worstAperiodicity);
        }
    }

    @Test
    void findsTheFrequencyOfAHarmonicToneAndCallsNoiseAperiodic() {
        int sr = 16000;
        Yin yin = new Yin(sr, 1024, 160, 65, 800, 0.1);
        for (double hz : new double[] {82.5, 147.0, 311.1, 640.0}) {
            float[] y = new float[sr / 2];
            for (int n = 0; n < y.length; n++)
                for (int k = 1; k <= 4; k++) y[n] += (float) (0.2 / k * Math.sin(2 * Math.PI * k * hz * n / sr + k));
            Yin.Track track = yin.track(y);
            for (int t = 8; t < track.frames() - 8; t++) {   // frames whose window lies inside the tone
                // Within 9 cents (0.5 %); the same bias pulls the lowest tones' minimum a little early (82.7 for 82.5).
                assertEquals(hz, track.f0()[t], hz * 5e-3, hz + " Hz at frame " + t);
                // librosa's d(k) keeps the energy of the frame's last k samples, so even a perfect tone's
                // aperiodicity grows with its period: 0.1 at 82.5 Hz (194 of 1024 samples), 0.01 at 640 Hz.
                assertTrue(track.aperiodicity()[t] < 0.15, hz + " Hz: aperiodicity " + track.aperiodicity()[t]);
            }
        }
        Random random = new Random(1);
        float[] noise = new float[sr / 2];
        for (int n = 0; n < noise.length; n++) noise[n] = (float) (0.1 * random.nextGaussian());
        Yin.Track track = yin.track(noise);
        int aperiodic = 0;
        for (int t = 8; t < track.frames() - 8; t++) if (track.aperiodicity()[t] > 0.5) aperiodic++;
        assertTrue(aperiodic > 0.95 * (track.frames() - 16), aperiodic + " of " + (track.frames() - 16) + " noise frames aperiodic");
    }

    @Test
    void silenceGivesFmaxAsLibrosaDoesNotNaN() {
        Yin.Track track = new Yin(16000, 1024, 160, 65, 800, 0.1).track(new float[3200]);
        assertEquals(21, track.frames());
        for (double f : track.f0()) assertEquals(16000.0 / 20, f);   // sr / floor(sr / fmax): lag 0 of an all-zero d'
        for (double a : track.aperiodicity()) assertFalse(Double.isNaN(a));
    }

    @Test
    void refusesParametersLibrosaRefuses() {
        var low = assertThrows(IllegalArgumentException.class, () -> new Yin(16000, 240, 160, 65, 800, 0.1));
        assertTrue(low.getMessage().contains("raise fmin to 66.946 or frame_length to 248"), low.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Yin(16000, 1024, 160, 65, 9000, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new Yin(16000, 1024, 160, 500, 400, 0.1));
    }
}
