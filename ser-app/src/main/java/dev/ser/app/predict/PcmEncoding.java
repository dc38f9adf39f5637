package dev.ser.app.predict;

import java.util.Arrays;
import java.util.Locale;

/**
 * How raw PCM on a stream is laid out, in ffmpeg's and sox's names ({@code -f s16le}). The scaling to float
 * is libsndfile's, the same as {@link dev.ser.audio.io.WavReader}'s, so raw PCM and a WAV file of the same
 * samples decode to the same floats: {@code x / 2^15}, {@code x / 2^23}, {@code (float) x / 2^31}, floats as is.
 */
public enum PcmEncoding {
    S16LE(2), S24LE(3), S32LE(4), F32LE(4);

    public final int bytes;

    PcmEncoding(int bytes) { this.bytes = bytes; }

    /** {@code "s16le"} ... as the command line spells it. */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static PcmEncoding parse(String s) {
        for (PcmEncoding e : values()) if (e.key().equals(s.toLowerCase(Locale.ROOT))) return e;
        throw new IllegalArgumentException("unknown PCM encoding '" + s + "'; expected one of "
                + Arrays.stream(values()).map(PcmEncoding::key).toList() + " (ffmpeg: -f s16le -acodec pcm_s16le)");
    }

    /** The little-endian sample at {@code b[off]}. */
    public float decode(byte[] b, int off) {
        return switch (this) {
            case S16LE -> (short) ((b[off] & 0xFF) | (b[off + 1] << 8)) * (1f / 32768f);
            // b[off + 2] << 16 sign-extends the top byte, which makes the 24-bit value signed.
            case S24LE -> ((b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] << 16)) * (1f / 8388608f);
            case S32LE -> (float) int32(b, off) * (1f / 2147483648f);
            case F32LE -> Float.intBitsToFloat(int32(b, off));
        };
    }

    private static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | (b[off + 3] << 24);
    }
}
