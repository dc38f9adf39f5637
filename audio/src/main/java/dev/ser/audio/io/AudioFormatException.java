package dev.ser.audio.io;

import java.io.IOException;

/**
 * A file or stream that is not audio we can decode: not a RIFF/WAVE file, a compressed encoding, a
 * header that contradicts itself, no audio frames. The message names the source, says what was
 * expected and found, and what to do (usually a conversion command).
 *
 * <p>Checked on purpose: a caller walking a data set decides per file whether to skip or stop.
 */
public final class AudioFormatException extends IOException {

    public AudioFormatException(String message) {
        super(message);
    }

    public AudioFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
