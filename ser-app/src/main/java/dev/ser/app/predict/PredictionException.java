package dev.ser.app.predict;

/**
 * A clip the model cannot give a meaningful answer for, with the file's name and what to do in the message.
 * One file's problem: batch prediction reports it and goes on with the others.
 */
public final class PredictionException extends Exception {
    /** Why, as a short word for tables and JSON ({@code "unreadable"}, {@code "silent"}, {@code "too-short"}). */
    public enum Kind {
        UNREADABLE("unreadable"), SILENT("silent"), TOO_SHORT("too-short");

        public final String word;

        Kind(String word) { this.word = word; }
    }

    private final Kind kind;
    private final String source;

    public PredictionException(Kind kind, String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.kind = kind;
        this.source = source;
    }

    public Kind kind() { return kind; }

    public String source() { return source; }

    /** The message without the leading source name, for a table that already shows the file. */
    public String reason() {
        String m = getMessage();
        return m.startsWith(source + ": ") ? m.substring(source.length() + 2) : m;
    }
}
