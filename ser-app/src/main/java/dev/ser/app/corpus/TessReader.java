package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TESS (Toronto emotional speech set, Dupuis &amp; Pichora-Fuller 2010): {@code OAF_back_angry.wav} and
 * {@code YAF_...}, in folders per speaker and emotion ({@code OAF_angry/}, {@code YAF_pleasant_surprised/}
 * ...). Two speakers, both women: OAF (older adult female, 64) and YAF (young adult female, 26). Emotion
 * words: angry, disgust, fear, happy, neutral, ps (pleasant surprise), sad. The distributed copy mixes upper-
 * and lower-case names, so the pattern ignores case.
 */
public final class TessReader implements CorpusReader {
    private static final Pattern NAME = Pattern.compile("(OAF|YAF)_([A-Za-z]+)_([A-Za-z]+)", Pattern.CASE_INSENSITIVE);

    @Override public String name() { return "tess"; }

    @Override public String convention() { return "SPEAKER_WORD_EMOTION.wav with SPEAKER OAF or YAF (e.g. OAF_angry/OAF_back_angry.wav)"; }

    @Override public boolean recognizes(Path relative) { return NAME.matcher(CorpusReader.stem(relative)).matches(); }

    @Override public Parsed parse(Path relative) {
        Matcher m = NAME.matcher(CorpusReader.stem(relative));
        if (!m.matches()) return new Parsed.Skip("name does not follow TESS's OAF_word_emotion.wav", null);
        String speaker = m.group(1).toUpperCase(Locale.ROOT), emotion = m.group(3).toLowerCase(Locale.ROOT);
        var label = LabelMapping.label(name(), emotion);
        if (label.isEmpty())
            return new Parsed.Skip("TESS emotion word not one of " + LabelMapping.codes(name()), "emotion " + m.group(3));
        return new Parsed.Match(speaker, Gender.FEMALE, null, label.get(), emotion);
    }
}
