package dev.ser.app.corpus;

import java.util.List;
import java.util.Optional;

/**
 * The one table from each corpus's emotion codes to the {@link Labels common labels}. docs/corpora.md shows
 * the same table ({@link #markdownTable()} writes it; a test keeps the two equal).
 *
 * <p>Choices worth knowing: TESS's "ps" (pleasant surprise) and SAVEE's "su" become surprised, although
 * RAVDESS's surprised is not only pleasant; EmoDB's boredom has no counterpart elsewhere and stays its own
 * label (drop it with {@code --labels} or merge it with {@code --merge boredom=neutral}); RAVDESS's calm is
 * kept apart from neutral (merge with {@code --merge calm=neutral}, a common choice in the literature).
 */
public final class LabelMapping {
    private LabelMapping() {}

    /** One row: in {@code corpus}, emotion code {@code code} (as the file name spells it) means {@code label}. */
    public record Row(String corpus, String code, String label, String meaning) {}

    public static final List<Row> TABLE = List.of(
            new Row("ravdess", "01", Labels.NEUTRAL, "neutral"),
            new Row("ravdess", "02", Labels.CALM, "calm"),
            new Row("ravdess", "03", Labels.HAPPY, "happy"),
            new Row("ravdess", "04", Labels.SAD, "sad"),
            new Row("ravdess", "05", Labels.ANGRY, "angry"),
            new Row("ravdess", "06", Labels.FEARFUL, "fearful"),
            new Row("ravdess", "07", Labels.DISGUST, "disgust"),
            new Row("ravdess", "08", Labels.SURPRISED, "surprised"),
            new Row("crema-d", "ANG", Labels.ANGRY, "anger"),
            new Row("crema-d", "DIS", Labels.DISGUST, "disgust"),
            new Row("crema-d", "FEA", Labels.FEARFUL, "fear"),
            new Row("crema-d", "HAP", Labels.HAPPY, "happy"),
            new Row("crema-d", "NEU", Labels.NEUTRAL, "neutral"),
            new Row("crema-d", "SAD", Labels.SAD, "sad"),
            new Row("tess", "angry", Labels.ANGRY, "angry"),
            new Row("tess", "disgust", Labels.DISGUST, "disgust"),
            new Row("tess", "fear", Labels.FEARFUL, "fear"),
            new Row("tess", "happy", Labels.HAPPY, "happy"),
            new Row("tess", "neutral", Labels.NEUTRAL, "neutral"),
            new Row("tess", "ps", Labels.SURPRISED, "pleasant surprise"),
            new Row("tess", "sad", Labels.SAD, "sad"),
            new Row("savee", "a", Labels.ANGRY, "anger"),
            new Row("savee", "d", Labels.DISGUST, "disgust"),
            new Row("savee", "f", Labels.FEARFUL, "fear"),
            new Row("savee", "h", Labels.HAPPY, "happiness"),
            new Row("savee", "n", Labels.NEUTRAL, "neutral"),
            new Row("savee", "sa", Labels.SAD, "sadness"),
            new Row("savee", "su", Labels.SURPRISED, "surprise"),
            new Row("emodb", "W", Labels.ANGRY, "Wut (anger)"),
            new Row("emodb", "L", Labels.BOREDOM, "Langeweile (boredom)"),
            new Row("emodb", "E", Labels.DISGUST, "Ekel (disgust)"),
            new Row("emodb", "A", Labels.FEARFUL, "Angst (fear)"),
            new Row("emodb", "F", Labels.HAPPY, "Freude (happiness)"),
            new Row("emodb", "T", Labels.SAD, "Trauer (sadness)"),
            new Row("emodb", "N", Labels.NEUTRAL, "neutral"));

    /** The common label of {@code code} in {@code corpus} (codes compare exactly, as the table spells them). */
    public static Optional<String> label(String corpus, String code) {
        for (Row r : TABLE)
            if (r.corpus.equals(corpus) && r.code.equals(code)) return Optional.of(r.label);
        return Optional.empty();
    }

    /** The codes a corpus uses, for error messages. */
    public static List<String> codes(String corpus) {
        return TABLE.stream().filter(r -> r.corpus.equals(corpus)).map(Row::code).toList();
    }

    /** The table as Markdown, exactly as docs/corpora.md carries it. */
    public static String markdownTable() {
        StringBuilder sb = new StringBuilder("| corpus | code | meaning | label |\n| --- | --- | --- | --- |\n");
        for (Row r : TABLE)
            sb.append("| ").append(r.corpus).append(" | `").append(r.code).append("` | ").append(r.meaning)
                    .append(" | ").append(r.label).append(" |\n");
        return sb.toString();
    }
}
