package dev.ser.app.corpus;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelPolicyTest {
    static final Path ROOT = Path.of("/data/ravdess");

    static List<Utterance> utterances(ScanReport report, String... labels) {
        List<Utterance> out = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            out.add(new Utterance("ravdess", "ravdess:01", Gender.MALE, null, labels[i], labels[i], ROOT.resolve("f" + i + ".wav"), ROOT));
            report.accept("ravdess");
        }
        return out;
    }

    @Test void mergesThenKeepsASubsetAndReportsTheRest() {
        ScanReport report = new ScanReport();
        List<Utterance> in = utterances(report, "neutral", "calm", "happy", "surprised", "angry");
        LabelPolicy p = LabelPolicy.parse("neutral, Happy,anger", "calm=neutral");
        assertEquals(Map.of("calm", "neutral"), p.merges());
        assertEquals(List.of("neutral", "happy", "angry"), p.keep());
        List<Utterance> out = p.apply(in, report);
        assertEquals(List.of("neutral", "neutral", "happy", "angry"), out.stream().map(Utterance::label).toList());
        assertEquals("calm", out.get(1).rawLabel());
        assertEquals(4, report.acceptedCount());
        assertEquals(1, report.skippedCount());
        assertTrue(report.examples("label not among --labels neutral,happy,angry").get(0).contains("(surprised)"));
    }

    @Test void aLabelThatNoUtteranceHasIsAnError() {
        ScanReport report = new ScanReport();
        List<Utterance> in = utterances(report, "neutral", "happy");
        var e = assertThrows(IllegalArgumentException.class, () -> LabelPolicy.parse("neutral,hapy", null).apply(in, report));
        assertTrue(e.getMessage().contains("'hapy'") && e.getMessage().contains("happy"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LabelPolicy.parse(null, "calm"));
    }

    @Test void noPolicyChangesNothing() {
        ScanReport report = new ScanReport();
        List<Utterance> in = utterances(report, "neutral", "boredom");
        assertEquals(in, LabelPolicy.all().apply(in, report));
        assertEquals(0, report.skippedCount());
    }
}
