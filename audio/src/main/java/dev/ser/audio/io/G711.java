package dev.ser.audio.io;

/**
 * G.711 companding (ITU-T, 1972): 8-bit mu-law (North America, Japan) and A-law (Europe) codes expanded
 * to 16-bit linear PCM. Telephone-speech corpora still ship these in WAV files (format tags 7 and 6).
 *
 * <p>The expansion is the classic one from Sun's public-domain {@code g711.c}, the same table
 * libsndfile uses, so {@code ULAW[0] = -32124} and {@code ALAW[0] = -5504}. Codes are stored
 * bit-inverted (mu-law: all bits; A-law: even bits, hence {@code ^ 0x55}) so that silence is not a
 * long run of zero bits on the line.
 */
final class G711 {
    private G711() {}

    static final short[] ULAW = new short[256];
    static final short[] ALAW = new short[256];

    static {
        for (int code = 0; code < 256; code++) {
            ULAW[code] = (short) ulawToLinear(code);
            ALAW[code] = (short) alawToLinear(code);
        }
    }

    private static int ulawToLinear(int code) {
        int u = ~code & 0xFF;
        // 0x84 is the bias (132) added before encoding so that every segment has a leading one bit.
        int t = (((u & 0x0F) << 3) + 0x84) << ((u & 0x70) >> 4);
        return (u & 0x80) != 0 ? 0x84 - t : t - 0x84;
    }

    private static int alawToLinear(int code) {
        int a = code ^ 0x55;
        int t = (a & 0x0F) << 4;
        int segment = (a & 0x70) >> 4;
        if (segment == 0) t += 8;                       // half-step rounding inside the first segment
        else t = (t + 0x108) << (segment - 1);          // 0x108 restores the implicit leading one
        return (a & 0x80) != 0 ? t : -t;
    }
}
