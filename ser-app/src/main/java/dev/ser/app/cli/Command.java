package dev.ser.app.cli;

/** One subcommand of {@code ser}. Each lives in its own class and is listed in {@link dev.ser.app.Main}. */
public interface Command {
    String name();

    /** One line for {@code ser help}. */
    String summary();

    /** The full usage text for {@code ser NAME --help}. */
    String usage();

    /** Runs the command; returns the process exit status. Throw {@link UsageException} for a user's mistake. */
    int run(Args args) throws Exception;
}
