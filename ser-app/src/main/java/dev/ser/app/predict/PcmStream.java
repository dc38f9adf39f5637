package dev.ser.app.predict;

import dev.ser.audio.io.AudioFormatException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Mono float samples from a byte stream, chunk by chunk as the bytes arrive: raw PCM of a stated format, or a
 * WAV stream recognized by its RIFF header. {@link #next()} returns as soon as some whole frames are there, so
 * a live pipe ({@code arecord -f S16_LE -r 16000 | ser predict --stream -}) gets answers while it runs.
 * Channels are averaged in float32 like {@link dev.ser.audio.io.WavReader} (a float sum, then one division),
 * so a stream and a file of the same samples decode identically.
 */
public final class PcmStream {
    /** Unknown data size in a WAV header written by a streaming writer (ffmpeg to a pipe, sox -t wav -). */
    private static final long SIZE_UNKNOWN = 0xFFFFFFFFL;
    private static final int READ_BYTES = 1 << 15;

    private final InputStream in;
    private final String name;
    private final int sampleRate, channels;
    private final PcmEncoding encoding;
    private final byte[] buf;
    private int carry;          // bytes of a partial frame kept from the last read
    private long remaining;     // bytes left in the data chunk; Long.MAX_VALUE = to the end of the stream

    private PcmStream(InputStream in, String name, int sampleRate, int channels, PcmEncoding encoding, long dataBytes) {
        this.in = in;
        this.name = name;
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.encoding = encoding;
        int frame = channels * encoding.bytes;
        this.buf = new byte[Math.max(1, READ_BYTES / frame) * frame];
        this.remaining = dataBytes;
    }

    /** Raw PCM: every byte is audio. */
    public static PcmStream raw(InputStream in, String name, int sampleRate, int channels, PcmEncoding encoding) {
        if (sampleRate <= 0 || channels <= 0)
            throw new IllegalArgumentException("expected a positive rate and channel count; found --rate " + sampleRate + ", --channels " + channels);
        return new PcmStream(in, name, sampleRate, channels, encoding, Long.MAX_VALUE);
    }

    /**
     * A WAV stream when the bytes start with RIFF, otherwise raw PCM described by {@code raw} (which may be
     * null: then the stream must be WAV). Reads only the WAV header before returning.
     */
    public static PcmStream open(InputStream source, String name, RawFormat raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(source, 1 << 16);
        in.mark(4);
        byte[] magic = in.readNBytes(4);
        in.reset();
        if (magic.length == 4 && new String(magic, StandardCharsets.ISO_8859_1).equals("RIFF")) return wav(in, name);
        if (raw == null)
            throw new AudioFormatException(name + ": expected a WAV stream (RIFF header) or raw PCM, found "
                    + (magic.length == 0 ? "no bytes at all" : "bytes " + hex(magic)) + " and no raw format: for raw PCM give "
                    + "--rate R [--channels C] [--encoding s16le|s24le|s32le|f32le]");
        return raw(in, name, raw.sampleRate(), raw.channels(), raw.encoding());
    }

    /** What raw PCM is, when the stream carries no header. */
    public record RawFormat(int sampleRate, int channels, PcmEncoding encoding) {}

    public int sampleRate() { return sampleRate; }

    public int channels() { return channels; }

    public PcmEncoding encoding() { return encoding; }

    /** The next mono samples (at least one), or null at the end of the stream. Blocks only until some bytes arrive. */
    public float[] next() throws IOException {
        int frame = channels * encoding.bytes;
        while (remaining > 0) {
            int want = (int) Math.min(buf.length - carry, remaining);
            int got = in.read(buf, carry, want);
            if (got < 0) break;
            remaining -= got;
            int have = carry + got, frames = have / frame;
            if (frames == 0) {
                carry = have;
                continue;
            }
            float[] out = new float[frames];
            for (int f = 0, off = 0; f < frames; f++) {
                if (channels == 1) {
                    out[f] = encoding.decode(buf, off);
                    off += encoding.bytes;
                } else {
                    float sum = 0f;
                    for (int c = 0; c < channels; c++, off += encoding.bytes) sum += encoding.decode(buf, off);
                    out[f] = sum / channels;
                }
            }
            carry = have - frames * frame;
            System.arraycopy(buf, frames * frame, buf, 0, carry);
            return out;
        }
        return null;  // a partial last frame is dropped, as WavReader drops it
    }

    /** Parses the header up to the data chunk; the data chunk's size, when known, ends the stream. */
    private static PcmStream wav(InputStream in, String name) throws IOException {
        byte[] head = in.readNBytes(12);
        if (head.length < 12 || !tag(head, 8).equals("WAVE"))
            throw new AudioFormatException(name + ": starts with RIFF but is not a WAVE stream: convert it with "
                    + "`ffmpeg -i IN -f wav -`");
        int channels = 0, rate = 0;
        PcmEncoding encoding = null;
        byte[] chunk = new byte[8];
        while (true) {
            if (in.readNBytes(chunk, 0, 8) < 8)
                throw new AudioFormatException(name + ": the WAV stream ended before its " + (encoding == null ? "fmt" : "data")
                        + " chunk: it is truncated");
            String id = tag(chunk, 0);
            long size = u32(chunk, 4);
            if (id.equals("fmt ")) {
                byte[] fmt = in.readNBytes((int) Math.min(size, 1024));
                if (fmt.length < 16) throw new AudioFormatException(name + ": the fmt chunk has " + fmt.length + " bytes, expected >= 16");
                in.skipNBytes(size - fmt.length + (size & 1));
                int formatTag = u16(fmt, 0), bits = u16(fmt, 14);
                if (formatTag == 0xFFFE && fmt.length >= 26) formatTag = u16(fmt, 24);  // extensible: the sub-format GUID
                channels = u16(fmt, 2);
                rate = (int) u32(fmt, 4);
                encoding = switch (formatTag * 100 + bits) {
                    case 116 -> PcmEncoding.S16LE;
                    case 124 -> PcmEncoding.S24LE;
                    case 132 -> PcmEncoding.S32LE;
                    case 332 -> PcmEncoding.F32LE;
                    default -> throw new AudioFormatException(name + ": a WAV stream of format tag " + formatTag + ", " + bits
                            + " bits; streaming reads PCM 16/24/32-bit and float 32: convert with `ffmpeg -i IN -f wav -acodec pcm_s16le -`");
                };
                if (channels <= 0 || rate <= 0)
                    throw new AudioFormatException(name + ": the WAV header says " + channels + " channels at " + rate + " Hz; the header is damaged");
            } else if (id.equals("data")) {
                if (encoding == null)
                    throw new AudioFormatException(name + ": the data chunk comes before the fmt chunk: rewrite the stream with `ffmpeg -i IN -f wav -`");
                // 0 and 0xFFFFFFFF: a writer that could not seek back to patch the size; read to the end.
                long bytes = size == SIZE_UNKNOWN || size == 0 ? Long.MAX_VALUE : size;
                return new PcmStream(in, name, rate, channels, encoding, bytes);
            } else {
                in.skipNBytes(size + (size & 1));
            }
        }
    }

    private static String tag(byte[] b, int off) { return new String(b, off, 4, StandardCharsets.ISO_8859_1); }

    private static int u16(byte[] b, int off) { return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8; }

    private static long u32(byte[] b, int off) { return (u16(b, off) | (long) u16(b, off + 2) << 16) & 0xFFFFFFFFL; }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) sb.append(String.format("%02x ", x));
        return sb.toString().trim() + " '" + new String(b, StandardCharsets.ISO_8859_1).replaceAll("[^ -~]", ".") + "'";
    }

    @Override public String toString() {
        return name + " (" + sampleRate + " Hz, " + channels + " ch, " + encoding.key() + ")";
    }
}
