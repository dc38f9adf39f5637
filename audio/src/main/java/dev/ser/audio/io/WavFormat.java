package dev.ser.audio.io;

/**
 * The parsed and checked {@code fmt } chunk of a WAV file: what one frame looks like.
 *
 * <p>The chunk is {@code WAVEFORMATEX}: format tag, channels, sample rate, byte rate, block align,
 * bits per sample, then for {@code WAVE_FORMAT_EXTENSIBLE} (tag 0xFFFE) valid bits, channel mask and a
 * 16-byte sub-format GUID whose first two bytes are the real format tag. The byte rate is redundant
 * and often wrong in files written by hand, so it is ignored (libsndfile only warns about it); every
 * other field must agree with the rest.
 *
 * @param encoding    how one sample is stored
 * @param channels    interleaved channels per frame
 * @param sampleRate  frames per second
 * @param blockAlign  bytes per frame, {@code channels * encoding.bytes}
 * @param extensible  whether the file used WAVE_FORMAT_EXTENSIBLE (soundfile calls that container "WAVEX")
 */
record WavFormat(SampleEncoding encoding, int channels, int sampleRate, int blockAlign, boolean extensible) {

    /** libsndfile's limit (SF_MAX_CHANNELS); more is a corrupt header, not a microphone array. */
    static final int MAX_CHANNELS = 1024;

    static final int TAG_PCM = 0x0001, TAG_FLOAT = 0x0003, TAG_ALAW = 0x0006, TAG_ULAW = 0x0007, TAG_EXTENSIBLE = 0xFFFE;

    /** The 14 bytes after the tag in every KSDATAFORMAT_SUBTYPE_* GUID of the WAV family. */
    private static final byte[] GUID_TAIL = {0x00, 0x00, 0x00, 0x00, 0x10, 0x00, (byte) 0x80, 0x00, 0x00, (byte) 0xAA, 0x00, 0x38,
            (byte) 0x9B, 0x71};

    private static final String TO_PCM16 = "decode it to PCM first: `ffmpeg -i in.wav -c:a pcm_s16le out.wav` "
            + "or `sox in.wav -e signed-integer -b 16 out.wav`";

    /** soundfile's description, container then subtype: {@code "WAV PCM_16"}, {@code "WAVEX FLOAT"}. */
    String label() {
        return (extensible ? "WAVEX " : "WAV ") + encoding.name();
    }

    /**
     * Parses a {@code fmt } chunk body.
     *
     * @param b    the chunk body (at most its first few hundred bytes; longer bodies carry nothing we use)
     * @param n    how many bytes of {@code b} are valid
     * @param name the source, for error messages
     */
    static WavFormat parse(byte[] b, int n, String name) throws AudioFormatException {
        if (n < 16)
            throw new AudioFormatException(name + ": the fmt chunk has " + n + " bytes, a WAV fmt chunk has at least 16: "
                    + "the header is damaged; re-export the file");
        int tag = u16(b, 0);
        int channels = u16(b, 2);
        long sampleRate = u32(b, 4);
        int blockAlign = u16(b, 12);
        int bits = u16(b, 14);
        boolean extensible = tag == TAG_EXTENSIBLE;
        if (extensible) {
            if (n < 40)
                throw new AudioFormatException(name + ": WAVE_FORMAT_EXTENSIBLE needs a 40-byte fmt chunk, found " + n
                        + " bytes: the header is damaged; rewrite it with `ffmpeg -i in.wav out.wav`");
            int validBits = u16(b, 18);
            if (validBits > bits)
                throw new AudioFormatException(name + ": WAVE_FORMAT_EXTENSIBLE says " + validBits
                        + " valid bits in a " + bits + "-bit container: the header is damaged");
            for (int i = 0; i < GUID_TAIL.length; i++)
                if (b[26 + i] != GUID_TAIL[i])
                    throw new AudioFormatException(name + ": WAVE_FORMAT_EXTENSIBLE with sub-format GUID " + guid(b, 24)
                            + ", which is not PCM, float, A-law or mu-law (ambisonics? a vendor codec?): " + TO_PCM16);
            tag = u16(b, 24);
        }
        if (channels == 0)
            throw new AudioFormatException(name + ": the header says 0 channels: the file is damaged or was never finished");
        if (channels > MAX_CHANNELS)
            throw new AudioFormatException(name + ": the header says " + channels + " channels, at most " + MAX_CHANNELS
                    + " are supported: the header is probably damaged");
        if (sampleRate == 0 || sampleRate > Integer.MAX_VALUE)
            throw new AudioFormatException(name + ": the header says a sample rate of " + sampleRate
                    + " Hz: the header is damaged; if you know the true rate, rewrite it with `sox -r RATE in.wav out.wav`");
        SampleEncoding encoding = encoding(tag, bits, name);
        if (blockAlign != channels * encoding.bytes)
            throw new AudioFormatException(name + ": block align is " + blockAlign + " bytes but " + channels + " channel(s) of "
                    + encoding.name() + " take " + channels * encoding.bytes
                    + " bytes a frame: the header contradicts itself; rewrite it with `ffmpeg -i in.wav out.wav`");
        return new WavFormat(encoding, channels, (int) sampleRate, blockAlign, extensible);
    }

    private static SampleEncoding encoding(int tag, int bits, String name) throws AudioFormatException {
        switch (tag) {
            case TAG_PCM -> {
                // Samples narrower than their container (12 bits in 16, 20 in 24) are left-justified, so
                // scaling by the container width gives the right value.
                if (bits >= 1 && bits <= 8) return SampleEncoding.PCM_U8;
                if (bits > 8 && bits <= 16) return SampleEncoding.PCM_16;
                if (bits > 16 && bits <= 24) return SampleEncoding.PCM_24;
                if (bits > 24 && bits <= 32) return SampleEncoding.PCM_32;
                throw new AudioFormatException(name + ": PCM with " + bits + " bits per sample; expected 8, 16, 24 or 32: "
                        + "the header is damaged");
            }
            case TAG_FLOAT -> {
                if (bits == 32) return SampleEncoding.FLOAT;
                if (bits == 64) return SampleEncoding.DOUBLE;
                throw new AudioFormatException(name + ": IEEE float with " + bits + " bits per sample; expected 32 or 64: "
                        + "the header is damaged");
            }
            case TAG_ALAW, TAG_ULAW -> {
                if (bits != 8)
                    throw new AudioFormatException(name + ": G.711 " + (tag == TAG_ALAW ? "A-law" : "mu-law") + " with " + bits
                            + " bits per sample; expected 8: the header is damaged");
                return tag == TAG_ALAW ? SampleEncoding.ALAW : SampleEncoding.ULAW;
            }
            default -> throw new AudioFormatException(name + ": WAV with compressed encoding " + codecName(tag)
                    + String.format(" (format tag 0x%04X)", tag) + ", which we do not decode: " + TO_PCM16);
        }
    }

    private static String codecName(int tag) {
        return switch (tag) {
            case 0x0000 -> "'unknown'";
            case 0x0002 -> "Microsoft ADPCM";
            case 0x0011 -> "IMA ADPCM";
            case 0x0022 -> "TrueSpeech";
            case 0x0031 -> "GSM 6.10";
            case 0x0040 -> "G.721 ADPCM";
            case 0x0050 -> "MPEG-1 audio";
            case 0x0055 -> "MP3";
            case 0x00FF, 0x1610 -> "AAC";
            case 0x0160, 0x0161, 0x0162 -> "Windows Media Audio";
            case 0x2000 -> "AC-3";
            case 0xF1AC -> "FLAC";
            default -> "of an unknown kind";
        };
    }

    private static String guid(byte[] b, int off) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 16; i++) s.append(String.format("%02x", b[off + i] & 0xFF));
        return s.toString();
    }

    static int u16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    static long u32(byte[] b, int off) {
        return ((b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8 | (b[off + 2] & 0xFF) << 16 | (long) (b[off + 3] & 0xFF) << 24);
    }
}
