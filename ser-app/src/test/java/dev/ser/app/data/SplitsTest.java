package dev.ser.app.data;

import dev.ser.app.corpus.Gender;
import dev.ser.app.corpus.Utterance;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitsTest {
    static final Path ROOT = Path.of("/data/c").toAbsolutePath();
    static final List<String> LABELS = List.of("neutral", "happy", "sad", "angry");

    /** {@code speakers} speakers (even index female), {@code perLabel} utterances of each label each. */
    static List<Utterance> corpus(int speakers, int perLabel) {
        List<Utterance> out = new ArrayList<>();
        for (int s = 0; s < speakers; s++)
            for (String l : LABELS)
                for (int i = 0; i < perLabel; i++)
                    out.add(new Utterance("c", String.format("c:%02d", s), s % 2 == 0 ? Gender.FEMALE : Gender.MALE, null, l, l,
                            ROOT.resolve(String.format("s%02d/%s_%d.wav", s, l, i)), ROOT));
        return out;
    }

    static void assertPartition(List<Utterance> all, Split s) {
        assertEquals(all.size(), s.train().size() + s.validation().size() + s.test().size());
        Set<Utterance> seen = new HashSet<>(s.train());
        seen.addAll(s.validation());
        seen.addAll(s.test());
        assertEquals(new HashSet<>(all), seen);
    }

    static void assertNoSpeakerOverlap(Split s) {
        assertTrue(Collections.disjoint(s.trainSpeakers(), s.testSpeakers()));
        assertTrue(Collections.disjoint(s.trainSpeakers(), s.validationSpeakers()));
        assertTrue(Collections.disjoint(s.validationSpeakers(), s.testSpeakers()));
    }

    @Test void holdoutPutsNamedSpeakersInTheirParts() {
        List<Utterance> all = corpus(6, 2);
        Split s = Splits.holdout(all, List.of("c:00"), List.of("c:01", "c:02"));
        assertEquals(Set.of("c:00"), s.testSpeakers());
        assertEquals(Set.of("c:01", "c:02"), s.validationSpeakers());
        assertEquals(Set.of("c:03", "c:04", "c:05"), s.trainSpeakers());
        assertPartition(all, s);
        var e = assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("00"), List.of()));
        assertTrue(e.getMessage().contains("prefixed"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("c:00"), List.of("c:00")));
        // a number written without (or with more) leading zeros names the same speaker; another corpus or number does not
        Split unpadded = Splits.holdout(all, List.of("c:0"), List.of("c:1", "c:002"));
        assertEquals(s.testSpeakers(), unpadded.testSpeakers());
        assertEquals(s.validationSpeakers(), unpadded.validationSpeakers());
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("c:7"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("d:0"), List.of()));
        assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("c:0"), List.of("c:00")));
    }

    @Test void aRefitMovesTheValidationSpeakersIntoTrainingAndSaysSo() {
        List<Utterance> all = corpus(6, 2);
        Split s = Splits.holdout(all, List.of("c:00"), List.of("c:01", "c:02")), r = s.withValidationInTraining();
        assertEquals(Set.of("c:01", "c:02", "c:03", "c:04", "c:05"), r.trainSpeakers());
        assertTrue(r.validation().isEmpty());
        assertEquals(s.test(), r.test());
        assertPartition(all, r);
        assertEquals(List.of("c:01", "c:02"), r.params().get("refit_validation_speakers"));
        assertEquals("speaker-holdout", r.method());
        var e = assertThrows(IllegalArgumentException.class, () -> Splits.holdout(all, List.of("c:00"), List.of()).withValidationInTraining());
        assertTrue(e.getMessage().contains("--val-speakers"), e.getMessage());
    }

    @Test void speakerFractionIsDisjointGenderBalancedAndDeterministic() {
        List<Utterance> all = corpus(24, 1);
        Split a = Splits.bySpeakerFraction(all, 0.1, 0.1, 7);
        assertPartition(all, a);
        assertNoSpeakerOverlap(a);
        assertEquals(2, a.testSpeakers().size());
        assertEquals(2, a.validationSpeakers().size());
        assertEquals(Set.of(Gender.FEMALE, Gender.MALE), a.test().stream().map(Utterance::gender).collect(Collectors.toSet()));
        assertEquals(Set.of(Gender.FEMALE, Gender.MALE), a.validation().stream().map(Utterance::gender).collect(Collectors.toSet()));

        List<Utterance> shuffled = new ArrayList<>(all);
        Collections.shuffle(shuffled, new Random(1));
        Split b = Splits.bySpeakerFraction(shuffled, 0.1, 0.1, 7);
        assertEquals(a.testSpeakers(), b.testSpeakers(), "input order must not change the split");
        assertEquals(a.validationSpeakers(), b.validationSpeakers());
        assertEquals(a.toJson(), Splits.bySpeakerFraction(all, 0.1, 0.1, 7).toJson());

        Set<Set<String>> tests = new HashSet<>();
        for (long seed = 0; seed < 8; seed++) tests.add(Splits.bySpeakerFraction(all, 0.1, 0.1, seed).testSpeakers());
        assertTrue(tests.size() > 1, "different seeds should give different splits");

        var e = assertThrows(IllegalArgumentException.class, () -> Splits.bySpeakerFraction(corpus(2, 1), 0.3, 0.3, 0));
        assertTrue(e.getMessage().contains("stratified"), e.getMessage());
    }

    @Test void kFoldTestsEverySpeakerExactlyOnce() {
        List<Utterance> all = corpus(10, 1);
        int k = 4;
        Map<String, Integer> testedIn = new LinkedHashMap<>();
        for (int fold = 0; fold < k; fold++) {
            Split s = Splits.kFold(all, k, fold, 0.2, 3);
            assertPartition(all, s);
            assertNoSpeakerOverlap(s);
            assertEquals(2, s.validationSpeakers().size());
            assertTrue(s.testSpeakers().size() == 2 || s.testSpeakers().size() == 3);
            for (String sp : s.testSpeakers()) assertEquals(null, testedIn.put(sp, fold), sp + " tested twice");
            assertEquals(s.toJson(), Splits.kFold(all, k, fold, 0.2, 3).toJson());
        }
        assertEquals(10, testedIn.size());
        assertNotEquals(Splits.kFold(all, k, 0, 0.2, 3).validationSpeakers(), Splits.kFold(all, k, 0, 0.2, 4).validationSpeakers());
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(all, 11, 0, 0.1, 0));
        assertThrows(IllegalArgumentException.class, () -> Splits.kFold(all, 4, 4, 0.1, 0));
    }

    @Test void stratifiedKeepsLabelProportionsAndSaysSpeakersOverlap() {
        List<Utterance> all = corpus(5, 20); // 100 utterances per label
        Split s = Splits.stratified(all, 0.2, 0.1, 11);
        assertPartition(all, s);
        for (String l : LABELS) {
            assertEquals(20, Split.labelCounts(s.test()).get(l));
            assertEquals(10, Split.labelCounts(s.validation()).get(l));
            assertEquals(70, Split.labelCounts(s.train()).get(l));
        }
        assertFalse(s.speakerIndependent());
        assertFalse(Collections.disjoint(s.trainSpeakers(), s.testSpeakers()));
        assertTrue(s.toJson().contains("inflates accuracy"));
        List<Utterance> reversed = new ArrayList<>(all);
        Collections.reverse(reversed);
        assertEquals(new HashSet<>(s.test()), new HashSet<>(Splits.stratified(reversed, 0.2, 0.1, 11).test()));
    }

    @Test void aSpeakerInTwoPartsFailsLoudly() {
        List<Utterance> all = corpus(3, 1);
        List<Utterance> train = all.subList(0, 6), test = all.subList(6, 12);
        var e = assertThrows(IllegalStateException.class,
                () -> new Split("manual", Map.of(), true, train, List.of(), test));
        assertTrue(e.getMessage().contains("train and test share [c:01]"), e.getMessage());
        assertThrows(IllegalStateException.class, () -> new Split("manual", Map.of(), false, all, List.of(), all.subList(0, 1)));
    }

    @Test void jsonHasRelativePathsSpeakersAndCountsAndReadsBack() {
        List<Utterance> all = corpus(6, 1);
        Split s = Splits.bySpeakerFraction(all, 0.2, 0.2, 5);
        String json = s.toJson();
        Map<String, Object> m = dev.ser.engine.io.Json.parseObject(json);
        @SuppressWarnings("unchecked") Map<String, Object> test = (Map<String, Object>) m.get("test");
        assertEquals(List.copyOf(s.testSpeakers()), test.get("speakers"));
        assertEquals((long) s.test().size(), test.get("count"));
        assertTrue(json.contains("\"path\": \"s0"), json.substring(0, 400));
        assertFalse(json.contains("\"path\": \"/"), "paths must be relative to the corpus root");
        assertEquals(Map.of("c", ROOT.toString()), m.get("roots"));
        Split back = Split.fromJson(json, all);
        assertEquals(s.test(), back.test());
        assertEquals(s.train(), back.train());
        assertEquals(json, back.toJson());
        var e = assertThrows(IllegalArgumentException.class, () -> Split.fromJson(json, all.subList(0, 4)));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }
}
