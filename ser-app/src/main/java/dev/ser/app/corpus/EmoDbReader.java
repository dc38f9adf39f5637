package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EmoDB (Berlin Database of Emotional Speech, Burkhardt et al. 2005): {@code 03a01Fa.wav}: speaker 03..16
 * (ten of them), text code (a01..a05, b01..b10), emotion letter of the German word ({@link LabelMapping}),
 * version letter. Speakers' genders are from the corpus documentation.
 */
public final class EmoDbReader implements CorpusReader {
    private static final Pattern NAME = Pattern.compile("(\\d\\d)([ab]\\d\\d)([A-Z])([a-z])");

    /** The ten speakers and their genders, per the EmoDB documentation. */
    private static final Map<String, Gender> SPEAKERS = Map.of(
            "03", Gender.MALE, "08", Gender.FEMALE, "09", Gender.FEMALE, "10", Gender.MALE, "11", Gender.MALE,
            "12", Gender.MALE, "13", Gender.FEMALE, "14", Gender.FEMALE, "15", Gender.MALE, "16", Gender.FEMALE);

    @Override public String name() { return "emodb"; }

    @Override public String convention() { return "SPEAKER TEXT EMOTION VERSION.wav (e.g. 03a01Fa.wav)"; }

    @Override public boolean recognizes(Path relative) { return NAME.matcher(CorpusReader.stem(relative)).matches(); }

    @Override public Parsed parse(Path relative) {
        Matcher m = NAME.matcher(CorpusReader.stem(relative));
        if (!m.matches()) return new Parsed.Skip("name does not follow EmoDB's 03a01Fa.wav", null);
        String speaker = m.group(1), emotion = m.group(3);
        Gender gender = SPEAKERS.get(speaker);
        if (gender == null)
            return new Parsed.Skip("EmoDB speaker not one of 03 08 09 10 11 12 13 14 15 16", "speaker " + speaker);
        var label = LabelMapping.label(name(), emotion);
        if (label.isEmpty())
            return new Parsed.Skip("EmoDB emotion letter not one of " + LabelMapping.codes(name()), "emotion " + emotion);
        return new Parsed.Match(speaker, gender, null, label.get(), emotion);
    }
}
