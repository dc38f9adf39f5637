package dev.ser.audio.pipeline;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureConfigTest {

    @Test
    void jsonRoundTripKeepsEveryFieldAndTheFingerprint() {
        FeatureConfig c = FeatureConfig.defaults().with("fmax", 7600.0).with("norm", null).with("lifter", 22)
                .with("features", List.of("stft", "zcr", "mfcc", "rms", "centroid")).with("tuning", null);
        FeatureConfig back = FeatureConfig.fromJson(c.toJson());
        assertEquals(c, back);
        assertEquals(c.fingerprint(), back.fingerprint());
        assertEquals(c.toJson(), back.toJson());
    }

    @Test
    void jsonUsesLibrosaNames() {
        Map<String, Object> m = FeatureConfig.defaults().toMap();
        for (String k : List.of("sr", "n_fft", "hop_length", "win_length", "n_mels", "n_mfcc", "fmin", "fmax", "htk", "norm", "lifter"))
            assertTrue(m.containsKey(k), k);
        assertEquals(16000L, m.get("sr"));
        assertEquals(List.of("mfcc", "mel", "chroma"), m.get("features"));
    }

    @Test
    void featureOrderAndDuplicatesDoNotChangeTheConfig() {
        FeatureConfig a = FeatureConfig.defaults().with("features", List.of("chroma", "mel", "mfcc", "mel"));
        assertEquals(FeatureConfig.defaults(), a);
        assertEquals(FeatureConfig.defaults().fingerprint(), a.fingerprint());
    }

    @Test
    void anyChangedParameterChangesTheFingerprint() {
        String base = FeatureConfig.defaults().fingerprint();
        assertTrue(base.matches("fc1-[0-9a-f]{16}"), base);
        assertNotEquals(base, FeatureConfig.defaults().with("n_fft", 1024).fingerprint());
        assertNotEquals(base, FeatureConfig.defaults().with("htk", true).fingerprint());
        assertNotEquals(base, FeatureConfig.defaults().with("deltas", List.of(1)).fingerprint());
        assertNotEquals(base, FeatureConfig.defaults().with("top_db", null).fingerprint());
    }

    @Test
    void absentKeysTakeTheDefaults() {
        assertEquals(FeatureConfig.defaults().with("n_mels", 64), FeatureConfig.fromJson("{\"n_mels\": 64}"));
    }

    @Test
    void mistakesAreExplained() {
        var e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.fromJson("{\"hop_lenght\": 160}"));
        assertTrue(e.getMessage().contains("hop_lenght") && e.getMessage().contains("hop_length"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.defaults().with("win_length", 1024));
        assertTrue(e.getMessage().contains("win_length=1024, n_fft=512"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.defaults().with("features", List.of("mel")));
        assertTrue(e.getMessage().contains("deltas"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.fromJson("{\"pipeline_version\": 99}"));
        assertTrue(e.getMessage().contains("pipeline_version 99"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.defaults().with("fmax", 9000.0));
        assertTrue(e.getMessage().contains("sr/2 = 8000.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FeatureConfig.fromJson("{\"n_fft\": \"512\"}"));
        assertThrows(IllegalArgumentException.class, () -> FeatureConfig.defaults().with("features", List.of("mfccs")));
    }

    @Test
    void layoutPutsColumnsInTheDocumentedOrder() {
        FeatureLayout l = FeatureConfig.defaults().layout();
        assertEquals(List.of("mfcc", "mfcc_delta", "mfcc_delta2", "mel", "chroma"), l.names());
        assertEquals(new FeatureLayout.Range("mfcc", 0, 13), l.range("mfcc"));
        assertEquals(new FeatureLayout.Range("mfcc_delta2", 26, 39), l.range("mfcc_delta2"));
        assertEquals(new FeatureLayout.Range("mel", 39, 79), l.range("mel"));
        assertEquals(new FeatureLayout.Range("chroma", 79, 91), l.range("chroma"));
        assertEquals(91, l.width());
        FeatureLayout all = FeatureConfig.defaults().with("features", List.of("stft", "centroid", "zcr", "rms", "chroma", "mel", "mfcc")).layout();
        assertEquals(List.of("mfcc", "mfcc_delta", "mfcc_delta2", "mel", "chroma", "rms", "zcr", "centroid", "stft"), all.names());
        assertEquals(91 + 3 + 257, all.width());
    }

    @Test
    void pitchKeysAppearOnlyWithPitchSoOtherConfigsKeepTheirFingerprints() {
        // The default config's JSON (and so the fingerprint the bundled models and feature caches were made with)
        // did not change when pitch arrived.
        assertEquals("{\"pipeline_version\":1,\"sr\":16000,\"n_fft\":512,\"hop_length\":160,\"win_length\":400,\"n_mels\":40,"
                + "\"n_mfcc\":13,\"fmin\":0.0,\"fmax\":null,\"htk\":false,\"norm\":\"slaney\",\"lifter\":0,\"top_db\":80.0,"
                + "\"n_chroma\":12,\"tuning\":0.0,\"features\":[\"mfcc\",\"mel\",\"chroma\"],\"deltas\":[1,2],\"delta_width\":9,"
                + "\"res_type\":\"kaiser_best\"}", FeatureConfig.defaults().toJson());
        FeatureConfig pitch = FeatureConfig.defaults().with("features", List.of("mfcc", "mel", "chroma", "pitch"));
        assertEquals(65.0, pitch.toMap().get("pitch_fmin"));
        assertEquals(pitch, FeatureConfig.fromJson(pitch.toJson()));
        FeatureConfig low = pitch.with("pitch_fmin", 50.0);
        assertNotEquals(pitch.fingerprint(), low.fingerprint());
        assertEquals(List.of("mfcc", "mfcc_delta", "mfcc_delta2", "mel", "chroma", "pitch", "pitch_aperiodicity"), pitch.layout().names());
        assertEquals(93, pitch.layout().width());
        // Dropping pitch drops its keys; setting one without pitch is a mistake worth a message.
        assertEquals(FeatureConfig.defaults(), low.with("features", List.of("mfcc", "mel", "chroma")));
        var e = assertThrows(IllegalArgumentException.class, () -> FeatureConfig.defaults().with("pitch_fmax", 600.0));
        assertTrue(e.getMessage().contains("pitch_fmax is set but pitch is not among the features"), e.getMessage());
        var odd = assertThrows(IllegalArgumentException.class, () -> pitch.with("pitch_frame_length", 1023));
        assertTrue(odd.getMessage().contains("must be both even or both odd"), odd.getMessage());
        var tooLow = assertThrows(IllegalArgumentException.class, () -> pitch.with("pitch_fmin", 10.0));
        assertTrue(tooLow.getMessage().startsWith("pitch (pitch_fmin, pitch_fmax, pitch_frame_length): fmin=10.000 Hz is too low"),
                tooLow.getMessage());
    }
}
