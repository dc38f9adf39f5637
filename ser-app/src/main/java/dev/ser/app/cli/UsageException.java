package dev.ser.app.cli;

/** A mistake of the user's (bad option, missing file): printed as one clear message, exit status 2, no stack trace. */
public class UsageException extends RuntimeException {
    public UsageException(String message) { super(message); }

    public UsageException(String message, Throwable cause) { super(message, cause); }
}
