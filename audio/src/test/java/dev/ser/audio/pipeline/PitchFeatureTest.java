package dev.ser.audio.pipeline;

import dev.ser.audio.features.YinReference;
import dev.ser.engine.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The pitch feature's wiring: with the default pitch parameters its two columns are librosa.hz_to_midi of
 * librosa.yin's f0 and the capped aperiodicity (the reference's speech_default case uses those parameters), and
 * adding pitch leaves every other column as it was.
 */
class PitchFeatureTest {

    @Test
    void pitchColumnsAreLibrosaYinInSemitonesAndTheRestIsUnchanged() throws IOException {
        SafeTensors ref = YinReference.load();
        float[] y = ref.floats("speech.y");
        FeatureConfig withPitch = FeatureConfig.defaults().with("features", List.of("mfcc", "mel", "chroma", "pitch"));
        FeatureMatrix m = new FeatureExtractor(withPitch).compute(y);
        FeatureMatrix without = new FeatureExtractor(FeatureConfig.defaults()).compute(y);
        double[] f0 = ref.doubles("speech_default.f0"), aperiodicity = ref.doubles("speech_default.aperiodicity");
        assertEquals(f0.length, m.frames());
        int pitch = m.layout().range("pitch").start(), aper = m.layout().range("pitch_aperiodicity").start();
        for (int t = 0; t < m.frames(); t++) {
            double midi = 69 + 12 * Math.log(f0[t] / 440) / Math.log(2);    // librosa.hz_to_midi
            assertEquals(midi, m.get(t, pitch), 1e-5 * midi, "pitch at frame " + t);
            assertEquals(Math.min(aperiodicity[t], 1.0), m.get(t, aper), 1e-6, "aperiodicity at frame " + t);
            for (int c = 0; c < without.width(); c++)
                assertEquals(without.get(t, c), m.get(t, c), "column " + c + " at frame " + t);
        }
    }
}
