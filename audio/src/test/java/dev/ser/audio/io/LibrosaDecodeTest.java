package dev.ser.audio.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ser.engine.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Parity with {@code librosa.load(path, sr=None, mono=True)} (librosa 0.10.2, soundfile/libsndfile
 * underneath) on the reference clips: 24-bit WAVE_FORMAT_EXTENSIBLE stereo, unsigned 8-bit, 16-bit
 * and float32. Same length, worst absolute difference at most 1e-6 (in practice 0: the scalings are
 * powers of two and the channel mean is done in float32 in numpy's order).
 */
class LibrosaDecodeTest {
    static final java.util.List<String> CLIPS = LibrosaReference.CLIPS;

    @ParameterizedTest
    @FieldSource("CLIPS")
    void decodesLikeLibrosa(String clip) throws IOException {
        Audio audio = WavReader.read(LibrosaReference.clip(clip));
        float[] expected = LibrosaReference.tensor(clip, "decoded");
        assertEquals(expected.length, audio.samples().length, clip + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double d = Math.abs(expected[i] - audio.samples()[i]);
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        System.out.printf("decode %-26s %-13s %6d Hz %d ch %7d samples  max |err| %.3g%s  (ref %s)%n", clip, audio.format(),
                audio.sampleRate(), audio.channels(), expected.length, worst, at >= 0 ? " at " + at : "", LibrosaReference.source());
        assertTrue(worst <= 1e-6, clip + ": max |err| " + worst + " at sample " + at);

        if (LibrosaReference.sharedAvailable()) {  // soundfile's own description of the file
            SafeTensors st = LibrosaReference.full(clip);
            assertEquals(Integer.parseInt(st.metadata().get("sample_rate")), audio.sampleRate());
            assertEquals(Integer.parseInt(st.metadata().get("channels")), audio.channels());
            assertEquals(st.metadata().get("format") + " " + st.metadata().get("subtype"), audio.format());
        }
    }

    @ParameterizedTest
    @FieldSource("CLIPS")
    void pathStreamAndBytesAgree(String clip) throws IOException {
        byte[] bytes = Files.readAllBytes(LibrosaReference.clip(clip));
        float[] fromPath = WavReader.read(LibrosaReference.clip(clip)).samples();
        org.junit.jupiter.api.Assertions.assertArrayEquals(fromPath, WavReader.read(bytes, clip).samples());
        try (var in = Files.newInputStream(LibrosaReference.clip(clip))) {
            org.junit.jupiter.api.Assertions.assertArrayEquals(fromPath, WavReader.read(in, clip).samples());
        }
    }
}
