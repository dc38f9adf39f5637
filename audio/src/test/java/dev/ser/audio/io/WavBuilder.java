package dev.ser.audio.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds WAV files byte by byte for tests, independently of {@link WavWriter}: any format tag, any
 * header field (including wrong ones), extra chunks in any order, odd sizes, lying sizes.
 */
final class WavBuilder {
    private final ByteArrayOutputStream chunks = new ByteArrayOutputStream();
    private Long riffSize;  // null: the true size

    /** A {@code fmt } chunk of 16 bytes (plain WAVEFORMAT / PCMWAVEFORMAT). */
    WavBuilder fmt(int tag, int channels, int sampleRate, int blockAlign, int bits) {
        ByteBuffer b = le(16);
        b.putShort((short) tag).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits);
        return chunk("fmt ", b.array());
    }

    /** A plain fmt chunk whose fields agree with each other. */
    WavBuilder fmt(int tag, int channels, int sampleRate, int bits) {
        return fmt(tag, channels, sampleRate, channels * ((bits + 7) / 8), bits);
    }

    /** A 40-byte WAVE_FORMAT_EXTENSIBLE fmt chunk with the standard sub-format GUID for {@code subTag}. */
    WavBuilder fmtExtensible(int subTag, int channels, int sampleRate, int bits, int validBits) {
        ByteBuffer b = le(40);
        int blockAlign = channels * ((bits + 7) / 8);
        b.putShort((short) 0xFFFE).putShort((short) channels).putInt(sampleRate).putInt(sampleRate * blockAlign)
                .putShort((short) blockAlign).putShort((short) bits).putShort((short) 22).putShort((short) validBits)
                .putInt(channels == 2 ? 3 : 0).putShort((short) subTag);
        b.put(new byte[] {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38, (byte) 0x9B, 0x71});
        return chunk("fmt ", b.array());
    }

    /** Any chunk; an odd-sized body is followed by its pad byte, as RIFF requires. */
    WavBuilder chunk(String id, byte[] body) {
        return chunk(id, body.length, body, true);
    }

    /** A chunk whose size field says {@code declaredSize}, whatever the body's real length. */
    WavBuilder chunk(String id, long declaredSize, byte[] body, boolean pad) {
        chunks.writeBytes(id.getBytes(StandardCharsets.ISO_8859_1));
        chunks.writeBytes(le(4).putInt((int) declaredSize).array());
        chunks.writeBytes(body);
        if (pad && (body.length & 1) == 1) chunks.write(0);
        return this;
    }

    WavBuilder data(byte[] samples) {
        return chunk("data", samples);
    }

    WavBuilder riffSize(long size) {
        riffSize = size;
        return this;
    }

    byte[] build() {
        byte[] body = chunks.toByteArray();
        ByteBuffer b = le(12 + body.length);
        b.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt((int) (riffSize != null ? riffSize : 4 + body.length));
        b.put("WAVE".getBytes(StandardCharsets.ISO_8859_1)).put(body);
        return b.array();
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Encodes integer sample codes little-endian at {@code bytes} bytes each (the low bytes of each int). */
    static byte[] ints(int bytes, int... codes) {
        byte[] out = new byte[codes.length * bytes];
        for (int i = 0; i < codes.length; i++)
            for (int k = 0; k < bytes; k++) out[i * bytes + k] = (byte) (codes[i] >> (8 * k));
        return out;
    }

    static byte[] floats(float... xs) {
        ByteBuffer b = le(4 * xs.length);
        for (float x : xs) b.putFloat(x);
        return b.array();
    }

    static byte[] doubles(double... xs) {
        ByteBuffer b = le(8 * xs.length);
        for (double x : xs) b.putDouble(x);
        return b.array();
    }
}
