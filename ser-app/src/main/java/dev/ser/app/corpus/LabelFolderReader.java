package dev.ser.app.corpus;

import java.nio.file.Path;

/**
 * The layout users' own data usually has: one folder per label. The label is the name of the folder holding
 * the file, mapped to the common label when it is a known synonym ("Anger" -> angry, "fear" -> fearful) and
 * kept as written otherwise.
 *
 * <p>Speakers: with {@code ROOT/SPEAKER/LABEL/file.wav} the folder above the label folder is the speaker
 * (its whole path below the root, when deeper). With {@code ROOT/LABEL/file.wav} nothing names the speaker;
 * the speaker is then "unknown" and {@link #UNKNOWN_SPEAKER_WARNING} goes into the report, because a
 * speaker-independent split of one speaker is impossible. The label folder itself is never used as a
 * speaker: holding out a "speaker" would then hold out a whole class.
 */
public final class LabelFolderReader implements CorpusReader {
    public static final String NAME = "folders";
    public static final String UNKNOWN_SPEAKER = "unknown";
    public static final String UNKNOWN_SPEAKER_WARNING = "files directly in label folders (ROOT/LABEL/*.wav) have no speaker: "
            + "they all count as speaker 'unknown', and speaker-independent splits need speaker info; lay the data out "
            + "as ROOT/SPEAKER/LABEL/*.wav, or use a stratified split and expect inflated accuracy";

    @Override public String name() { return NAME; }

    @Override public String convention() { return "[SPEAKER/]LABEL/anything.wav, one folder per label"; }

    /** For auto-detection only folders named like a known label count; any folder name is read as a label. */
    @Override public boolean recognizes(Path relative) {
        String folder = CorpusReader.parentName(relative);
        return folder != null && Labels.canonical(folder).isPresent();
    }

    @Override public Parsed parse(Path relative) {
        String folder = CorpusReader.parentName(relative);
        if (folder == null)
            return new Parsed.Skip("file directly in the corpus root, not in a label folder", null);
        Path speakerPath = relative.getParent().getParent();
        String speaker = speakerPath == null ? UNKNOWN_SPEAKER : speakerPath.toString().replace(java.io.File.separatorChar, '/');
        return new Parsed.Match(speaker, Gender.UNKNOWN, null, Labels.canonical(folder).orElse(folder), folder);
    }
}
