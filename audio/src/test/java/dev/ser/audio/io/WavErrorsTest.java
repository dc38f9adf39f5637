package dev.ser.audio.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every refusal is an {@link AudioFormatException} that names the source, what was found, and what to do. */
class WavErrorsTest {

    private static String error(byte[] bytes, String... mustMention) {
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(bytes, "in/clip.wav"));
        String m = e.getMessage();
        assertTrue(m.startsWith("in/clip.wav: "), "message must name the file: " + m);
        for (String s : mustMention) assertTrue(m.contains(s), "message must mention '" + s + "': " + m);
        return m;
    }

    private static byte[] ascii(String s, int padTo) {
        return Arrays.copyOf(s.getBytes(StandardCharsets.ISO_8859_1), Math.max(padTo, s.length()));
    }

    private static final byte[] PCM = WavBuilder.ints(2, 1, 2, 3, 4);

    @Test
    void otherFormatsAreNamedWithAConversionCommand() {
        error(ascii("fLaC\0\0\0\"", 64), "expected a RIFF/WAVE file", "'fLaC'", "FLAC", "sox in.flac out.wav");
        error(ascii("ID3\u0004\0\0\0\0", 64), "MP3", "ffmpeg -i in.mp3 out.wav");
        error(new byte[] {(byte) 0xFF, (byte) 0xFB, (byte) 0x90, 0x64, 0, 0, 0, 0, 0, 0, 0, 0, 0}, "MP3");
        error(ascii("OggS\0\u0002", 64), "Ogg", "ffmpeg");
        error(ascii("\0\0\0\u0020ftypM4A ", 64), "MP4/M4A", "ffmpeg -i in.m4a out.wav");
        error(ascii("FORM\0\0\0\u0010AIFF", 64), "AIFF", "sox in.aiff out.wav");
        error(ascii("RF64\u00ff\u00ff\u00ff\u00ffWAVEds64", 64), "RF64", "not supported");
        error(ascii("RIFX\0\0\0\u0010WAVE", 64), "big-endian");
        error(ascii("RIFF\0\0\0\u0010AVI ", 64), "'AVI '", "not WAVE");
        error(ascii("<!DOCTYPE html>", 64), "text");
        error(new byte[0], "empty file (0 bytes)");
        error(ascii("RIFF", 4), "'RIFF'");  // shorter than a RIFF header
        error(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, "not a known audio format", "01 02 03");
    }

    @Test
    void compressedEncodingsAreRefusedWithWhatToDo() {
        error(new WavBuilder().fmt(0x11, 1, 8000, 256, 4).data(new byte[512]).build(), "IMA ADPCM", "0x0011", "pcm_s16le");
        error(new WavBuilder().fmt(0x02, 1, 8000, 256, 4).data(new byte[512]).build(), "Microsoft ADPCM");
        error(new WavBuilder().fmt(0x55, 2, 44100, 1, 0).data(new byte[512]).build(), "MP3", "0x0055");
        error(new WavBuilder().fmt(0x1234, 1, 8000, 2, 16).data(PCM).build(), "unknown kind");
        byte[] ambisonic = new WavBuilder().fmtExtensible(1, 4, 48000, 16, 16).data(new byte[64]).build();
        ambisonic[12 + 8 + 24 + 2] = 0x21;  // corrupt the GUID tail after the sub-format tag
        error(ambisonic, "sub-format GUID");
    }

    @Test
    void absurdHeadersAreRefused() {
        error(new WavBuilder().fmt(1, 0, 16000, 2, 16).data(PCM).build(), "0 channels");
        error(new WavBuilder().fmt(1, 2000, 16000, 4000, 16).data(PCM).build(), "2000 channels");
        error(new WavBuilder().fmt(1, 1, 0, 2, 16).data(PCM).build(), "sample rate of 0 Hz");
        error(new WavBuilder().fmt(1, 1, -1, 2, 16).data(PCM).build(), "sample rate of 4294967295 Hz");
        error(new WavBuilder().fmt(1, 2, 16000, 2, 16).data(PCM).build(), "block align is 2 bytes", "take 4 bytes");
        error(new WavBuilder().fmt(1, 1, 16000, 6, 40).data(PCM).build(), "40 bits per sample");
        error(new WavBuilder().fmt(1, 1, 16000, 0, 0).data(PCM).build(), "0 bits per sample");
        error(new WavBuilder().fmt(3, 1, 16000, 2, 16).data(PCM).build(), "IEEE float with 16 bits");
        error(new WavBuilder().fmt(7, 1, 16000, 2, 16).data(PCM).build(), "mu-law with 16 bits");
        error(new WavBuilder().chunk("fmt ", new byte[14]).data(PCM).build(), "fmt chunk has 14 bytes");
        byte[] shortExtensible = WavBuilder.le(18).putShort((short) 0xFFFE).putShort((short) 1).putInt(8000).putInt(16000)
                .putShort((short) 2).putShort((short) 16).putShort((short) 0).array();
        error(new WavBuilder().chunk("fmt ", shortExtensible).data(PCM).build(), "40-byte fmt chunk");
        error(new WavBuilder().fmtExtensible(1, 1, 8000, 16, 24).data(PCM).build(), "24 valid bits in a 16-bit container");
    }

    @Test
    void missingOrEmptyChunksAreRefused() {
        error(new WavBuilder().chunk("LIST", new byte[8]).build(), "without a fmt chunk");
        error(new WavBuilder().fmt(1, 1, 16000, 16).chunk("LIST", new byte[8]).build(), "without a data chunk");
        error(new WavBuilder().data(PCM).fmt(1, 1, 16000, 16).build(), "data chunk comes before the fmt chunk");
        error(new WavBuilder().fmt(1, 1, 16000, 16).data(new byte[0]).build(), "no complete audio frame", "empty");
        error(new WavBuilder().fmt(1, 2, 16000, 24).data(new byte[5]).build(), "no complete audio frame");
        byte[] cutInFmt = Arrays.copyOf(new WavBuilder().fmt(1, 1, 16000, 16).data(PCM).build(), 12 + 8 + 10);
        error(cutInFmt, "ends inside its fmt chunk");
        byte[] hugeSkip = new WavBuilder().fmt(1, 1, 16000, 16).chunk("LIST", 0xFFFFFFF0L, new byte[3], false).build();
        error(hugeSkip, "without a data chunk");
    }

    @Test
    void aMissingFileIsNamed(@TempDir Path dir) {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> WavReader.read(dir.resolve("nope.wav")));
        assertTrue(e.getMessage().contains("nope.wav"));
    }

    @Test
    void aFileNamesItselfInTheMessage(@TempDir Path dir) throws IOException {
        Path flac = dir.resolve("song.flac");
        Files.write(flac, ascii("fLaC", 100));
        AudioFormatException e = assertThrows(AudioFormatException.class, () -> WavReader.read(flac));
        assertTrue(e.getMessage().startsWith(flac.toString() + ": "), e.getMessage());
    }
}
