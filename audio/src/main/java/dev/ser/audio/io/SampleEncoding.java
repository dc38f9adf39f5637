package dev.ser.audio.io;

/**
 * How one sample sits in a WAV data chunk, and how it becomes a float.
 *
 * <p>The scaling is libsndfile's (what soundfile and so librosa return), so decoded values match
 * {@code librosa.load} bit for bit:
 * <ul>
 *   <li>unsigned 8-bit: {@code (x - 128) / 128}</li>
 *   <li>signed 16-bit: {@code x / 32768} (2^15)</li>
 *   <li>signed 24-bit: {@code x / 8388608} (2^23)</li>
 *   <li>signed 32-bit: {@code (float) x / 2147483648} (2^31; the int is rounded to float first, as
 *       libsndfile does, so values keep 24 significant bits)</li>
 *   <li>IEEE float 32: as stored; float 64: rounded to float</li>
 *   <li>G.711 mu-law / A-law: expanded to 16-bit by the ITU-T table, then {@code / 32768}</li>
 * </ul>
 * Every scale is a power of two, so the integer formats decode exactly (no rounding) except PCM_32.
 */
enum SampleEncoding {
    PCM_U8(1), PCM_16(2), PCM_24(3), PCM_32(4), FLOAT(4), DOUBLE(8), ULAW(1), ALAW(1);

    /** Bytes one sample of one channel occupies in the data chunk. */
    final int bytes;

    SampleEncoding(int bytes) {
        this.bytes = bytes;
    }

    private static final float INV_2_7 = 1f / 128f;
    private static final float INV_2_15 = 1f / 32768f;
    private static final float INV_2_23 = 1f / 8388608f;
    private static final float INV_2_31 = 1f / 2147483648f;

    /** The little-endian sample at {@code b[off]} as a float. */
    float decode(byte[] b, int off) {
        return switch (this) {
            case PCM_U8 -> ((b[off] & 0xFF) - 128) * INV_2_7;
            case PCM_16 -> (short) ((b[off] & 0xFF) | (b[off + 1] << 8)) * INV_2_15;
            // b[off + 2] << 16 sign-extends the top byte, which is what makes the 24-bit value signed.
            case PCM_24 -> ((b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | (b[off + 2] << 16)) * INV_2_23;
            case PCM_32 -> (float) int32(b, off) * INV_2_31;
            case FLOAT -> Float.intBitsToFloat(int32(b, off));
            case DOUBLE -> (float) Double.longBitsToDouble((int32(b, off) & 0xFFFFFFFFL) | ((long) int32(b, off + 4) << 32));
            case ULAW -> G711.ULAW[b[off] & 0xFF] * INV_2_15;
            case ALAW -> G711.ALAW[b[off] & 0xFF] * INV_2_15;
        };
    }

    private static int int32(byte[] b, int off) {
        return (b[off] & 0xFF) | ((b[off + 1] & 0xFF) << 8) | ((b[off + 2] & 0xFF) << 16) | (b[off + 3] << 24);
    }
}
