package dev.ser.app.corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each reader on file names alone: the fields a good name gives, and the reason a bad one is skipped with. */
class CorpusReadersTest {

    static CorpusReader.Parsed.Match match(CorpusReader r, String rel) {
        return assertInstanceOf(CorpusReader.Parsed.Match.class, r.parse(Path.of(rel)), rel);
    }

    static String skipReason(CorpusReader r, String rel) {
        return assertInstanceOf(CorpusReader.Parsed.Skip.class, r.parse(Path.of(rel)), rel).reason();
    }

    @Test void ravdess() {
        RavdessReader r = new RavdessReader(false);
        var m = match(r, "Actor_12/03-01-05-02-01-02-12.wav");
        assertEquals("12", m.speaker());
        assertEquals(Gender.FEMALE, m.gender());
        assertEquals("strong", m.intensity());
        assertEquals(Labels.ANGRY, m.label());
        assertEquals("05", m.rawLabel());
        assertEquals(Gender.MALE, match(r, "03-01-02-01-01-01-01.wav").gender());
        assertEquals(Labels.CALM, match(r, "03-01-02-01-01-01-01.WAV").label());

        assertTrue(skipReason(r, "Actor_01/03-02-03-01-01-01-01.wav").contains("song"));
        assertTrue(match(new RavdessReader(true), "Actor_01/03-02-03-01-01-01-01.wav").label().equals(Labels.HAPPY));
        assertTrue(skipReason(r, "Actor_01/01-01-03-01-01-01-01.wav").contains("modality"));
        assertTrue(skipReason(r, "Actor_01/03-01-09-01-01-01-01.wav").contains("emotion"));
        assertTrue(skipReason(r, "Actor_01/03-01-03-03-01-01-01.wav").contains("intensity"));
        assertTrue(skipReason(r, "Actor_25/03-01-03-01-01-01-25.wav").contains("actor"));
        assertTrue(skipReason(r, "Actor_02/03-01-03-01-01-01-01.wav").contains("another actor's folder"));
        assertTrue(skipReason(r, "Actor_01/03-01-03-01-01.wav").contains("MM-VC-EE"));
        assertFalse(r.recognizes(Path.of("1001_DFA_ANG_XX.wav")));
    }

    @Test void cremaD() {
        CremaDReader r = new CremaDReader();
        var m = match(r, "AudioWAV/1001_DFA_ANG_XX.wav");
        assertEquals("1001", m.speaker());
        assertEquals(Gender.UNKNOWN, m.gender());
        assertEquals("unspecified", m.intensity());
        assertEquals(Labels.ANGRY, m.label());
        assertEquals(Labels.FEARFUL, match(r, "1091_IEO_FEA_HI.wav").label());
        assertEquals("high", match(r, "1091_IEO_FEA_HI.wav").intensity());
        assertTrue(skipReason(r, "1001_DFA_SUR_XX.wav").contains("emotion"));
        assertTrue(skipReason(r, "1001_DFA_ANG_ZZ.wav").contains("intensity"));
        assertTrue(skipReason(r, "0999_DFA_ANG_XX.wav").contains("actor"));
        assertTrue(skipReason(r, "1001-DFA-ANG-XX.wav").contains("does not follow"));
    }

    @Test void tess() {
        TessReader r = new TessReader();
        var m = match(r, "OAF_angry/OAF_back_angry.wav");
        assertEquals("OAF", m.speaker());
        assertEquals(Gender.FEMALE, m.gender());
        assertNull(m.intensity());
        assertEquals(Labels.ANGRY, m.label());
        assertEquals(Labels.SURPRISED, match(r, "YAF_pleasant_surprised/YAF_bar_ps.wav").label());
        assertEquals(Labels.FEARFUL, match(r, "YAF_fear/yaf_bath_Fear.wav").label());
        assertEquals("YAF", match(r, "YAF_fear/yaf_bath_Fear.wav").speaker());
        assertTrue(skipReason(r, "OAF_back_bored.wav").contains("emotion"));
        assertTrue(skipReason(r, "MAF_back_angry.wav").contains("does not follow"));
    }

    @Test void saveeFlatAndInFolders() {
        SaveeReader r = new SaveeReader();
        var flat = match(r, "DC_a01.wav");
        assertEquals("DC", flat.speaker());
        assertEquals(Gender.MALE, flat.gender());
        assertEquals(Labels.ANGRY, flat.label());
        var nested = match(r, "AudioData/KL/sa03.wav");
        assertEquals("KL", nested.speaker());
        assertEquals(Labels.SAD, nested.label());
        assertEquals(Labels.SURPRISED, match(r, "JK/su15.wav").label());
        assertTrue(r.recognizes(Path.of("JE/n30.wav")));
        assertFalse(r.recognizes(Path.of("XY/n30.wav")));
        assertTrue(skipReason(r, "AB_a01.wav").contains("speaker"));
        assertTrue(skipReason(r, "DC_x01.wav").contains("emotion"));
        assertTrue(skipReason(r, "a01.wav").contains("does not follow"));
    }

    @Test void emoDb() {
        EmoDbReader r = new EmoDbReader();
        var m = match(r, "wav/03a01Fa.wav");
        assertEquals("03", m.speaker());
        assertEquals(Gender.MALE, m.gender());
        assertEquals(Labels.HAPPY, m.label());
        assertEquals("F", m.rawLabel());
        assertEquals(Labels.BOREDOM, match(r, "16b10Lb.wav").label());
        assertEquals(Gender.FEMALE, match(r, "16b10Lb.wav").gender());
        assertEquals(Labels.ANGRY, match(r, "08a02Wc.wav").label());
        assertTrue(skipReason(r, "04a01Fa.wav").contains("speaker"));
        assertTrue(skipReason(r, "03a01Xa.wav").contains("emotion"));
        assertTrue(skipReason(r, "3a01Fa.wav").contains("does not follow"));
    }

    @Test void labelFolders() {
        LabelFolderReader r = new LabelFolderReader();
        var noSpeaker = match(r, "Anger/clip1.wav");
        assertEquals(LabelFolderReader.UNKNOWN_SPEAKER, noSpeaker.speaker());
        assertEquals(Labels.ANGRY, noSpeaker.label());
        assertEquals("Anger", noSpeaker.rawLabel());
        var withSpeaker = match(r, "spk7/pleasant-surprise/x.wav");
        assertEquals("spk7", withSpeaker.speaker());
        assertEquals(Labels.SURPRISED, withSpeaker.label());
        var unknownLabel = match(r, "a/b/excited/x.wav");
        assertEquals("excited", unknownLabel.label()); // kept as-is
        assertEquals("a/b", unknownLabel.speaker());
        assertFalse(r.recognizes(Path.of("excited/x.wav")));
        assertTrue(skipReason(r, "x.wav").contains("not in a label folder"));
    }

    @Test void byNameAcceptsSpellingsAndExplainsUnknownOnes() {
        assertEquals("crema-d", CorpusReaders.byName("CREMAD", ScanOptions.defaults()).name());
        assertEquals("emodb", CorpusReaders.byName("emo-db", ScanOptions.defaults()).name());
        var e = assertThrows(IllegalArgumentException.class, () -> CorpusReaders.byName("iemocap", ScanOptions.defaults()));
        assertTrue(e.getMessage().contains("ravdess"), e.getMessage());
    }

    @Test void labelSynonyms() {
        assertEquals(Labels.FEARFUL, Labels.canonical(" Fear ").orElseThrow());
        assertEquals(Labels.SURPRISED, Labels.canonical("pleasant surprise").orElseThrow());
        assertTrue(Labels.canonical("excited").isEmpty());
    }
}
