package dev.ser.audio.io;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Decodes RIFF/WAVE files to mono float samples, as {@code librosa.load(path, sr=None, mono=True)}
 * does (libsndfile underneath), without javax.sound.
 *
 * <p>What it reads: PCM unsigned 8-bit and signed 16/24/32-bit, IEEE float 32/64, G.711 A-law and
 * mu-law, plain or WAVE_FORMAT_EXTENSIBLE, 1 to 1024 channels. The scaling to float is in
 * {@link SampleEncoding}; channels are averaged in float32 like numpy's {@code mean(axis=0)}.
 *
 * <p>Rules, where files in the wild disagree with the specification:
 * <ul>
 *   <li>Chunks other than {@code fmt } and {@code data} (LIST, fact, JUNK, bext, cue ...) are skipped,
 *       with the pad byte that follows an odd-sized chunk.</li>
 *   <li>The RIFF size and the byte rate are ignored: streaming writers leave them wrong.</li>
 *   <li>A data chunk size of 0xFFFFFFFF, or larger than what follows (a recorder that never patched
 *       its header, or a truncated copy), means "read to the end of the stream". The data chunk ends
 *       the parse: chunks after it are not looked at.</li>
 *   <li>A partial last frame (fewer bytes than one sample of every channel) is dropped, as soundfile
 *       does.</li>
 *   <li>Errors are {@link AudioFormatException}: not a WAV file (with what it looks like and the
 *       conversion command), a compressed encoding (ADPCM, MP3-in-WAV ...), a header that contradicts
 *       itself, no {@code fmt } or {@code data} chunk, and no audio frames at all.</li>
 * </ul>
 *
 * <p>The stream is read front to back once, so stdin works; nothing is buffered beyond 64 KiB and
 * the output array.
 */
public final class WavReader {
    private WavReader() {}

    /** A {@code fmt } body longer than this carries nothing we use (extensible is 40 bytes). */
    private static final int MAX_FMT_BYTES = 1024;
    /** Bytes decoded per read; a multiple of every block align up to 64 KiB. */
    private static final int BLOCK_BYTES = 1 << 16;
    /** Java arrays stop a little short of Integer.MAX_VALUE. */
    private static final long MAX_SAMPLES = Integer.MAX_VALUE - 16;
    private static final long SIZE_UNKNOWN = 0xFFFFFFFFL;

    /** Decodes a WAV file to mono. */
    public static Audio read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new NoSuchFileException(file.toString(), null, "no such audio file");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /**
     * Decodes WAV bytes from a stream (a pipe, stdin, a zip entry) to mono. The stream is read up to the
     * end of the data chunk and not closed.
     *
     * @param nameForErrors what error messages call the source, e.g. a path or {@code "<stdin>"}
     */
    public static Audio read(InputStream in, String nameForErrors) throws IOException {
        Frames f = decode(in, nameForErrors, true);
        return new Audio(f.samples, f.format.sampleRate(), f.format.channels(), f.format.label());
    }

    /** Decodes an in-memory WAV file to mono. */
    public static Audio read(byte[] wav, String nameForErrors) throws AudioFormatException {
        try {
            return read(new ByteArrayInputStream(wav), nameForErrors);
        } catch (AudioFormatException e) {
            throw e;
        } catch (IOException e) {
            throw new AssertionError("a byte array stream does not fail", e);
        }
    }

    /** Decoded samples: mono, or interleaved frames when decoding kept the channels. */
    record Frames(float[] samples, WavFormat format) {}

    /**
     * The decoder behind {@link #read}. With {@code mono == false} the samples stay interleaved
     * (frame-major, {@code channels} per frame); the tests use that to check every channel exactly.
     */
    static Frames decode(InputStream raw, String name, boolean mono) throws IOException {
        InputStream in = raw instanceof ByteArrayInputStream || raw instanceof BufferedInputStream ? raw
                : new BufferedInputStream(raw, BLOCK_BYTES);
        byte[] head = new byte[FileSniffer.HEAD];
        int got = in.readNBytes(head, 0, head.length);
        boolean riffWave = got == head.length && tag(head, 0).equals("RIFF") && tag(head, 8).equals("WAVE");
        if (!riffWave)
            throw new AudioFormatException(name + ": expected a RIFF/WAVE file, " + FileSniffer.describe(head, got));

        WavFormat format = null;
        byte[] chunkHeader = new byte[8];
        while (true) {
            int n = in.readNBytes(chunkHeader, 0, 8);
            if (n < 8) {
                if (format == null)
                    throw new AudioFormatException(name + ": a WAVE file without a fmt chunk (the header that says what the "
                            + "samples are): the file is truncated or not finished writing");
                throw new AudioFormatException(name + ": a WAVE file without a data chunk: the file is truncated or the "
                        + "recording never started; record or copy it again");
            }
            String id = tag(chunkHeader, 0);
            long size = WavFormat.u32(chunkHeader, 4);
            switch (id) {
                case "fmt " -> {
                    byte[] body = new byte[(int) Math.min(size, MAX_FMT_BYTES)];
                    int have = in.readNBytes(body, 0, body.length);
                    if (have < body.length)
                        throw new AudioFormatException(name + ": the file ends inside its fmt chunk: it is truncated");
                    format = WavFormat.parse(body, have, name);
                    skip(in, size - body.length + (size & 1));
                }
                case "data" -> {
                    if (format == null)
                        throw new AudioFormatException(name + ": the data chunk comes before the fmt chunk, so its samples "
                                + "cannot be interpreted: rewrite the file with `ffmpeg -i in.wav out.wav`");
                    return new Frames(readData(in, size, format, mono, name), format);
                }
                default -> skip(in, size + (size & 1));
            }
        }
    }

    private static float[] readData(InputStream in, long size, WavFormat format, boolean mono, String name) throws IOException {
        int channels = format.channels();
        int blockAlign = format.blockAlign();
        SampleEncoding enc = format.encoding();
        long remaining = size == SIZE_UNKNOWN ? Long.MAX_VALUE : size;
        int perFrame = mono ? 1 : channels;
        // Trust the declared size only for a first guess: a damaged header must not allocate gigabytes.
        long declaredSamples = size == SIZE_UNKNOWN ? 0 : size / blockAlign * perFrame;
        float[] out = new float[(int) Math.min(Math.max(declaredSamples, 1024), 1 << 22)];
        int count = 0;
        byte[] buf = new byte[Math.max(1, BLOCK_BYTES / blockAlign) * blockAlign];
        while (remaining > 0) {
            int want = (int) Math.min(buf.length, remaining);
            int got = in.readNBytes(buf, 0, want);
            int frames = got / blockAlign;  // a partial last frame is dropped
            if (count + (long) frames * perFrame > MAX_SAMPLES)
                throw new AudioFormatException(name + ": more than " + MAX_SAMPLES + " samples, too long to hold in one "
                        + "array: split it, e.g. `sox in.wav part.wav trim 0 3600 : newfile : restart`");
            if (count + frames * perFrame > out.length)
                out = Arrays.copyOf(out, (int) Math.min(MAX_SAMPLES, Math.max(2L * out.length, count + (long) frames * perFrame)));
            for (int f = 0, off = 0; f < frames; f++) {
                if (mono && channels == 1) {
                    out[count++] = enc.decode(buf, off);
                    off += enc.bytes;
                } else if (mono) {
                    // numpy's mean(axis=0) on float32: a float32 running sum, then one division.
                    float sum = 0f;
                    for (int c = 0; c < channels; c++, off += enc.bytes) sum += enc.decode(buf, off);
                    out[count++] = sum / channels;
                } else {
                    for (int c = 0; c < channels; c++, off += enc.bytes) out[count++] = enc.decode(buf, off);
                }
            }
            if (got < want) break;  // end of stream: a truncated file or a streaming writer
            remaining -= got;
        }
        if (count == 0)
            throw new AudioFormatException(name + ": the data chunk holds no complete audio frame (" + format.label() + ", "
                    + channels + " channel(s), " + blockAlign + " bytes a frame): the recording is empty");
        return count == out.length ? out : Arrays.copyOf(out, count);
    }

    /** Skips {@code n} bytes; stopping early at the end of the stream is fine (the chunk loop then reports it). */
    private static void skip(InputStream in, long n) throws IOException {
        while (n > 0) {
            long skipped = in.skip(n);
            if (skipped <= 0) {
                if (in.read() < 0) return;  // skip() may return 0 before the end; read() tells for sure
                skipped = 1;
            }
            n -= skipped;
        }
    }

    private static String tag(byte[] b, int off) {
        return new String(b, off, 4, StandardCharsets.ISO_8859_1);
    }
}
