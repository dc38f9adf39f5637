package dev.ser.audio.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes plain RIFF/WAVE files: 16-bit PCM or 32-bit IEEE float, any number of channels.
 *
 * <p>16-bit quantization is {@code round(x * 32768)} clipped to [-32768, 32767], the inverse of the
 * reader's {@code x / 32768}, so a decoded 16-bit file written back is the same file bit for bit.
 * (libsndfile scales by 32767 when clipping is off, which does not round-trip.) Float files store the
 * samples unchanged, values outside [-1, 1] included.
 */
public final class WavWriter {
    private WavWriter() {}

    /**
     * Writes a mono file atomically (a temporary file in the same folder, then a rename).
     *
     * @param bits 16 for PCM_16 or 32 for FLOAT
     */
    public static void write(Path file, float[] samples, int sampleRate, int bits) throws IOException {
        write(file, samples, 1, sampleRate, bits);
    }

    /** Writes interleaved frames ({@code channels} samples a frame) atomically; {@code bits} as above. */
    public static void write(Path file, float[] interleaved, int channels, int sampleRate, int bits) throws IOException {
        byte[] bytes = toBytes(interleaved, channels, sampleRate, bits);
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            Files.write(tmp, bytes);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The whole file as bytes: for tests, network replies, or {@code System.out}. */
    public static byte[] toBytes(float[] interleaved, int channels, int sampleRate, int bits) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(44 + interleaved.length * (bits / 8));
        try {
            write(out, interleaved, channels, sampleRate, bits);
        } catch (IOException e) {
            throw new AssertionError("a byte array stream does not fail", e);
        }
        return out.toByteArray();
    }

    /** Streams a whole file to {@code out} (not closed). */
    public static void write(OutputStream out, float[] interleaved, int channels, int sampleRate, int bits) throws IOException {
        if (bits != 16 && bits != 32)
            throw new IllegalArgumentException("bits must be 16 (PCM) or 32 (float), got " + bits);
        if (channels < 1 || channels > WavFormat.MAX_CHANNELS)
            throw new IllegalArgumentException("channels must be in 1.." + WavFormat.MAX_CHANNELS + ", got " + channels);
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        if (interleaved.length % channels != 0)
            throw new IllegalArgumentException(interleaved.length + " samples are not a whole number of " + channels + "-channel frames");
        int bytesPerSample = bits / 8;
        long dataBytes = (long) interleaved.length * bytesPerSample;
        if (dataBytes > 0xFFFFFFFFL - 36)
            throw new IllegalArgumentException("too long for a WAV file (4 GiB limit): " + dataBytes + " bytes of samples");
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt((int) (36 + dataBytes));
        h.put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16);
        h.putShort((short) (bits == 16 ? WavFormat.TAG_PCM : WavFormat.TAG_FLOAT)).putShort((short) channels);
        h.putInt(sampleRate).putInt(sampleRate * channels * bytesPerSample);
        h.putShort((short) (channels * bytesPerSample)).putShort((short) bits);
        h.put("data".getBytes(StandardCharsets.US_ASCII)).putInt((int) dataBytes);
        out.write(h.array());

        ByteBuffer block = ByteBuffer.allocate(1 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (float x : interleaved) {
            if (bits == 16) block.putShort(pcm16(x));
            else block.putFloat(x);
            if (!block.hasRemaining()) {
                out.write(block.array(), 0, block.position());
                block.clear();
            }
        }
        out.write(block.array(), 0, block.position());
    }

    static short pcm16(float x) {
        if (Float.isNaN(x)) return 0;
        return (short) Math.max(-32768, Math.min(32767, Math.round(x * 32768.0)));
    }
}
