package dev.ser.app.corpus;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * RAVDESS (Livingstone &amp; Russo 2018): {@code MM-VC-EE-II-SS-RR-AA.wav}, usually under {@code Actor_AA/}.
 * MM modality (01 audio-video, 02 video-only, 03 audio-only), VC vocal channel (01 speech, 02 song), EE
 * emotion ({@link LabelMapping}), II intensity (01 normal, 02 strong), SS statement, RR repetition, AA actor
 * 01..24 (even = female).
 *
 * <p>Only audio-only speech is read by default; songs are skipped with their own reason (not mixed into a
 * speech model silently) unless {@code includeSong}.
 */
public final class RavdessReader implements CorpusReader {
    private static final Pattern NAME = Pattern.compile("(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)-(\\d\\d)");
    private static final Pattern ACTOR_FOLDER = Pattern.compile("Actor_(\\d\\d)");

    private final boolean includeSong;

    public RavdessReader(boolean includeSong) { this.includeSong = includeSong; }

    @Override public String name() { return "ravdess"; }

    @Override public String convention() { return "MM-VC-EE-II-SS-RR-AA.wav (e.g. Actor_01/03-01-05-02-01-01-01.wav)"; }

    @Override public boolean recognizes(Path relative) { return NAME.matcher(CorpusReader.stem(relative)).matches(); }

    @Override public Parsed parse(Path relative) {
        Matcher m = NAME.matcher(CorpusReader.stem(relative));
        if (!m.matches())
            return new Parsed.Skip("name does not follow RAVDESS's MM-VC-EE-II-SS-RR-AA.wav", null);
        String modality = m.group(1), channel = m.group(2), emotion = m.group(3), intensity = m.group(4);
        String statement = m.group(5), repetition = m.group(6), actor = m.group(7);
        if (!modality.equals("03"))
            return new Parsed.Skip("RAVDESS modality is not 03 (audio-only)", "modality " + modality
                    + (modality.equals("01") || modality.equals("02") ? " is a video file's code" : " is not a RAVDESS code"));
        if (channel.equals("02") && !includeSong)
            return new Parsed.Skip("RAVDESS song (vocal channel 02): skipped unless songs are asked for", null);
        if (!channel.equals("01") && !channel.equals("02"))
            return new Parsed.Skip("RAVDESS vocal channel is neither 01 (speech) nor 02 (song)", "channel " + channel);
        var label = LabelMapping.label(name(), emotion);
        if (label.isEmpty())
            return new Parsed.Skip("RAVDESS emotion code not in 01..08", "emotion " + emotion);
        if (!intensity.equals("01") && !intensity.equals("02"))
            return new Parsed.Skip("RAVDESS intensity is neither 01 (normal) nor 02 (strong)", "intensity " + intensity);
        if (!inRange(statement, 1, 2) || !inRange(repetition, 1, 2))
            return new Parsed.Skip("RAVDESS statement or repetition not in 01..02", "statement " + statement + ", repetition " + repetition);
        int a = Integer.parseInt(actor);
        if (a < 1 || a > 24) return new Parsed.Skip("RAVDESS actor not in 01..24", "actor " + actor);
        String folder = CorpusReader.parentName(relative);
        Matcher f = folder == null ? null : ACTOR_FOLDER.matcher(folder);
        if (f != null && f.matches() && !f.group(1).equals(actor))
            return new Parsed.Skip("RAVDESS file in another actor's folder", "named actor " + actor + ", in " + folder);
        return new Parsed.Match(actor, a % 2 == 0 ? Gender.FEMALE : Gender.MALE, intensity.equals("01") ? "normal" : "strong",
                label.get(), emotion);
    }

    private static boolean inRange(String twoDigits, int lo, int hi) {
        int v = Integer.parseInt(twoDigits);
        return v >= lo && v <= hi;
    }
}
