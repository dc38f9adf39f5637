package dev.ser.audio.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every encoding and layout the reader supports, on files built byte by byte: decoded values must
 * equal the documented scaling exactly (no tolerance: every scale is a power of two).
 */
class WavVariantsTest {
    private final Random random = new Random(20250101);

    /** Random integer codes for a signed PCM width, the extremes included. */
    private int[] codes(int bits, int n) {
        int[] c = new int[n];
        long lo = -(1L << (bits - 1)), hi = (1L << (bits - 1)) - 1;
        for (int i = 0; i < n; i++) c[i] = (int) (lo + (long) (random.nextDouble() * (hi - lo + 1)));
        c[0] = (int) lo;
        c[n - 1] = (int) hi;
        return c;
    }

    private static float[] monoOf(float[] interleaved, int channels) {
        float[] m = new float[interleaved.length / channels];
        for (int f = 0; f < m.length; f++) {
            float sum = 0f;  // numpy's float32 mean over channels
            for (int c = 0; c < channels; c++) sum += interleaved[f * channels + c];
            m[f] = sum / channels;
        }
        return m;
    }

    private static WavReader.Frames frames(byte[] wav) throws IOException {
        return WavReader.decode(new ByteArrayInputStream(wav), "test.wav", false);
    }

    @Test
    void signedPcmOfEveryWidthAndOneToSixChannels() throws IOException {
        int[][] widths = {{16, 32768}, {24, 8388608}};
        for (int[] w : widths) {
            for (int channels = 1; channels <= 6; channels++) {
                int[] c = codes(w[0], 101 * channels);
                byte[] wav = new WavBuilder().fmt(1, channels, 44100, w[0]).data(WavBuilder.ints(w[0] / 8, c)).build();
                float[] expected = new float[c.length];
                for (int i = 0; i < c.length; i++) expected[i] = c[i] / (float) w[1];
                WavReader.Frames f = frames(wav);
                assertArrayEquals(expected, f.samples(), w[0] + "-bit, " + channels + " ch");
                Audio a = WavReader.read(wav, "test.wav");
                assertArrayEquals(monoOf(expected, channels), a.samples());
                assertEquals(channels, a.channels());
                assertEquals(44100, a.sampleRate());
                assertEquals("WAV PCM_" + w[0], a.format());
            }
        }
    }

    @Test
    void pcm32RoundsTheIntToFloatFirstLikeLibsndfile() throws IOException {
        int[] c = codes(32, 300);
        c[1] = 0x7FFFFFC0;  // rounds up to 2^31 in float: decodes to exactly 1.0, as in soundfile
        byte[] wav = new WavBuilder().fmt(1, 2, 8000, 32).data(WavBuilder.ints(4, c)).build();
        float[] got = frames(wav).samples();
        for (int i = 0; i < c.length; i++) assertEquals((float) c[i] * 0x1p-31f, got[i]);
        assertEquals(1.0f, got[1]);
    }

    @Test
    void unsigned8BitIsCenteredOn128() throws IOException {
        int[] c = {0, 1, 127, 128, 129, 255};
        Audio a = WavReader.read(new WavBuilder().fmt(1, 1, 8000, 8).data(WavBuilder.ints(1, c)).build(), "u8.wav");
        assertArrayEquals(new float[] {-1f, -127 / 128f, -1 / 128f, 0f, 1 / 128f, 127 / 128f}, a.samples());
        assertEquals("WAV PCM_U8", a.format());
    }

    @Test
    void floatsPassThroughAndDoublesRound() throws IOException {
        float[] xs = {0f, -1f, 1f, 0.123456789f, 3.5f, -1e-30f, Float.MIN_VALUE};
        Audio f32 = WavReader.read(new WavBuilder().fmt(3, 1, 48000, 32).data(WavBuilder.floats(xs)).build(), "f.wav");
        assertArrayEquals(xs, f32.samples());
        assertEquals("WAV FLOAT", f32.format());
        double[] ds = {0.1, -0.7, 1.0 / 3, 2.5};
        Audio f64 = WavReader.read(new WavBuilder().fmt(3, 1, 48000, 64).data(WavBuilder.doubles(ds)).build(), "d.wav");
        assertArrayEquals(new float[] {0.1f, -0.7f, (float) (1.0 / 3), 2.5f}, f64.samples());
        assertEquals("WAV DOUBLE", f64.format());
    }

    @Test
    void extensiblePcmAndFloat() throws IOException {
        int[] c = codes(24, 60);
        for (int i = 0; i < c.length; i++) c[i] &= ~0xF;  // 20 valid bits, left-justified in 24
        byte[] wav = new WavBuilder().fmtExtensible(1, 2, 96000, 24, 20).data(WavBuilder.ints(3, c)).build();
        WavReader.Frames f = frames(wav);
        for (int i = 0; i < c.length; i++) assertEquals(c[i] / 8388608f, f.samples()[i]);
        assertEquals("WAVEX PCM_24", f.format().label());

        float[] xs = {0.5f, -0.25f, 0.75f, 0.125f};
        Audio a = WavReader.read(new WavBuilder().fmtExtensible(3, 2, 16000, 32, 32).data(WavBuilder.floats(xs)).build(), "x");
        assertArrayEquals(new float[] {0.125f, 0.4375f}, a.samples());
        assertEquals("WAVEX FLOAT", a.format());
    }

    @Test
    void g711MuLawAndALawExpandWithTheItuTables() throws IOException {
        // Reference points of the G.711 tables (libsndfile's ulaw_decode / alaw_decode).
        assertEquals(-32124, G711.ULAW[0x00]);
        assertEquals(32124, G711.ULAW[0x80]);
        assertEquals(0, G711.ULAW[0xFF]);
        assertEquals(0, G711.ULAW[0x7F]);
        assertEquals(-5504, G711.ALAW[0x00]);
        assertEquals(5504, G711.ALAW[0x80]);
        assertEquals(8, G711.ALAW[0xD5]);
        assertEquals(-8, G711.ALAW[0x55]);
        assertEquals(-32256, G711.ALAW[0x2A]);
        for (int code = 0; code < 128; code++) {  // odd symmetry: the sign bit flips the value
            assertEquals(-G711.ULAW[code], G711.ULAW[code | 0x80]);
            assertEquals(-G711.ALAW[code], G711.ALAW[code | 0x80]);
        }
        Audio mu = WavReader.read(new WavBuilder().fmt(7, 1, 8000, 8).data(new byte[] {0, (byte) 0x80, (byte) 0xFF}).build(), "mu");
        assertArrayEquals(new float[] {-32124 / 32768f, 32124 / 32768f, 0f}, mu.samples());
        assertEquals("WAV ULAW", mu.format());
        Audio a = WavReader.read(new WavBuilder().fmt(6, 1, 8000, 8).data(new byte[] {0, (byte) 0xD5}).build(), "a");
        assertArrayEquals(new float[] {-5504 / 32768f, 8 / 32768f}, a.samples());
        assertEquals("WAV ALAW", a.format());
    }

    @Test
    void unknownAndOddSizedChunksAreSkippedWithTheirPadByte() throws IOException {
        int[] c = codes(16, 9);
        byte[] wav = new WavBuilder()
                .chunk("JUNK", new byte[27])                             // odd: pad byte follows
                .fmt(1, 1, 22050, 16)
                .chunk("LIST", "INFOISFT\u0005\u0000\u0000\u0000ser!\u0000".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1))
                .chunk("fact", WavBuilder.ints(4, c.length))
                .chunk("odd ", new byte[] {1, 2, 3})
                .data(WavBuilder.ints(2, c))
                .chunk("LIST", new byte[5])                              // after data: never read
                .build();
        Audio a = WavReader.read(wav, "chunks.wav");
        assertEquals(c.length, a.samples().length);
        for (int i = 0; i < c.length; i++) assertEquals(c[i] / 32768f, a.samples()[i]);
    }

    @Test
    void streamingWriterSizesMeanReadToTheEnd() throws IOException {
        int[] c = codes(16, 1000);
        byte[] samples = WavBuilder.ints(2, c);
        for (long declared : new long[] {0xFFFFFFFFL, 0x7FFFFFFFL, samples.length + 1000L}) {
            byte[] wav = new WavBuilder().fmt(1, 1, 16000, 16).chunk("data", declared, samples, false).riffSize(0xFFFFFFFFL).build();
            assertEquals(c.length, WavReader.read(wav, "pipe.wav").samples().length, "declared " + declared);
        }
    }

    @Test
    void aPartialLastFrameIsDropped() throws IOException {
        int[] c = codes(24, 6);  // 3 stereo frames
        byte[] samples = WavBuilder.ints(3, c);
        for (int cut = 1; cut < 6; cut++) {  // leave 2 whole frames and part of the third
            byte[] truncated = Arrays.copyOf(samples, samples.length - cut);
            byte[] wav = new WavBuilder().fmt(1, 2, 44100, 24).chunk("data", samples.length, truncated, false).build();
            assertEquals(2, WavReader.read(wav, "cut.wav").samples().length);
        }
        // A declared size that is not a whole number of frames: the same rule.
        byte[] wav = new WavBuilder().fmt(1, 2, 44100, 24).chunk("data", samples.length - 2, samples, false).build();
        assertEquals(2, WavReader.read(wav, "odd.wav").samples().length);
    }

    @Test
    void writerRoundTripsExactly(@TempDir Path dir) throws IOException {
        float[] pcm = new float[4000];
        for (int i = 0; i < pcm.length; i++) pcm[i] = (random.nextInt(65536) - 32768) / 32768f;
        pcm[0] = -1f;
        pcm[1] = 32767 / 32768f;
        Path p16 = dir.resolve("pcm16.wav");
        WavWriter.write(p16, pcm, 16000, 16);
        Audio a = WavReader.read(p16);
        assertArrayEquals(pcm, a.samples());
        assertEquals("WAV PCM_16", a.format());
        assertEquals(16000, a.sampleRate());

        float[] fl = new float[3 * 500];
        for (int i = 0; i < fl.length; i++) fl[i] = (float) (random.nextGaussian() * 2);  // beyond [-1, 1] too
        Path f32 = dir.resolve("float.wav");
        WavWriter.write(f32, fl, 3, 48000, 32);
        assertArrayEquals(fl, WavReader.decode(Files.newInputStream(f32), "f", false).samples());
        assertArrayEquals(monoOf(fl, 3), WavReader.read(f32).samples());
        assertEquals(3, WavReader.read(f32).channels());
    }

    @Test
    void pcm16WriterClipsAndRounds() {
        assertEquals(32767, WavWriter.pcm16(1.5f));
        assertEquals(32767, WavWriter.pcm16(1f));
        assertEquals(-32768, WavWriter.pcm16(-1f));
        assertEquals(-32768, WavWriter.pcm16(-7f));
        assertEquals(1, WavWriter.pcm16(0.6f / 32768));
        assertEquals(0, WavWriter.pcm16(Float.NaN));
    }

    /** A stream that hands out one byte per read and refuses to skip: the worst a pipe can do. */
    private static InputStream trickle(byte[] bytes) {
        return new FilterInputStream(new ByteArrayInputStream(bytes)) {
            @Override public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1));
            }

            @Override public long skip(long n) {
                return 0;
            }
        };
    }

    @Test
    void readsFromAStingyStream() throws IOException {
        int[] c = codes(16, 777);
        byte[] wav = new WavBuilder().chunk("LIST", new byte[33]).fmt(1, 1, 11025, 16).data(WavBuilder.ints(2, c)).build();
        Audio a = WavReader.read(trickle(wav), "<stdin>");
        assertEquals(c.length, a.samples().length);
        assertEquals(c[776] / 32768f, a.samples()[776]);
    }
}
