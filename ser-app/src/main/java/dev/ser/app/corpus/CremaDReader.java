package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CREMA-D (Cao et al. 2014): {@code 1001_DFA_ANG_XX.wav}: actor 1001..1091, sentence code (three letters),
 * emotion (ANG, DIS, FEA, HAP, NEU, SAD), intensity (LO, MD, HI, XX = unspecified). Gender lives in the
 * corpus's VideoDemographics.csv, not in the name, so it is unknown here.
 */
public final class CremaDReader implements CorpusReader {
    private static final Pattern NAME = Pattern.compile("(\\d{4})_([A-Z]{3})_([A-Z]{3})_([A-Z]{2})");
    private static final Map<String, String> INTENSITY = Map.of("LO", "low", "MD", "medium", "HI", "high", "XX", "unspecified");

    @Override public String name() { return "crema-d"; }

    @Override public String convention() { return "ACTOR_SENTENCE_EMOTION_INTENSITY.wav (e.g. 1001_DFA_ANG_XX.wav)"; }

    @Override public boolean recognizes(Path relative) { return NAME.matcher(CorpusReader.stem(relative)).matches(); }

    @Override public Parsed parse(Path relative) {
        Matcher m = NAME.matcher(CorpusReader.stem(relative));
        if (!m.matches()) return new Parsed.Skip("name does not follow CREMA-D's 1001_DFA_ANG_XX.wav", null);
        String actor = m.group(1), emotion = m.group(3), intensity = m.group(4);
        int a = Integer.parseInt(actor);
        if (a < 1001 || a > 1091) return new Parsed.Skip("CREMA-D actor not in 1001..1091", "actor " + actor);
        var label = LabelMapping.label(name(), emotion);
        if (label.isEmpty())
            return new Parsed.Skip("CREMA-D emotion code not one of " + LabelMapping.codes(name()), "emotion " + emotion);
        String level = INTENSITY.get(intensity);
        if (level == null) return new Parsed.Skip("CREMA-D intensity not one of LO, MD, HI, XX", "intensity " + intensity);
        return new Parsed.Match(actor, Gender.UNKNOWN, level, label.get(), emotion);
    }
}
