package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SAVEE (Surrey Audio-Visual Expressed Emotion, Haq &amp; Jackson 2009): four male speakers DC, JE, JK, KL;
 * emotion prefix a, d, f, h, n, sa, su and a two-digit sentence number. Two layouts are in circulation: the
 * flat {@code DC_a01.wav} and the distribution's {@code AudioData/DC/a01.wav}; both are read.
 */
public final class SaveeReader implements CorpusReader {
    private static final Set<String> SPEAKERS = Set.of("DC", "JE", "JK", "KL");
    private static final Pattern FLAT = Pattern.compile("([A-Z]{2})_([a-z]{1,2})(\\d\\d)");
    private static final Pattern IN_FOLDER = Pattern.compile("([a-z]{1,2})(\\d\\d)");

    @Override public String name() { return "savee"; }

    @Override public String convention() { return "SPEAKER_EMOTIONNN.wav or SPEAKER/EMOTIONNN.wav (e.g. DC_a01.wav, DC/sa03.wav)"; }

    @Override public boolean recognizes(Path relative) {
        String stem = CorpusReader.stem(relative);
        if (FLAT.matcher(stem).matches()) return true;
        String folder = CorpusReader.parentName(relative);
        return folder != null && SPEAKERS.contains(folder) && IN_FOLDER.matcher(stem).matches();
    }

    @Override public Parsed parse(Path relative) {
        String stem = CorpusReader.stem(relative);
        String speaker, emotion;
        Matcher flat = FLAT.matcher(stem), inFolder = IN_FOLDER.matcher(stem);
        String folder = CorpusReader.parentName(relative);
        if (flat.matches()) {
            speaker = flat.group(1);
            emotion = flat.group(2);
        } else if (inFolder.matches() && folder != null) {
            speaker = folder;
            emotion = inFolder.group(1);
        } else {
            return new Parsed.Skip("name does not follow SAVEE's DC_a01.wav or DC/a01.wav", null);
        }
        if (!SPEAKERS.contains(speaker))
            return new Parsed.Skip("SAVEE speaker not one of DC, JE, JK, KL", "speaker " + speaker);
        var label = LabelMapping.label(name(), emotion);
        if (label.isEmpty())
            return new Parsed.Skip("SAVEE emotion code not one of " + LabelMapping.codes(name()), "emotion " + emotion);
        return new Parsed.Match(speaker, Gender.MALE, null, label.get(), emotion);
    }
}
