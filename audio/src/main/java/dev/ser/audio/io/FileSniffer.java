package dev.ser.audio.io;

import java.nio.charset.StandardCharsets;

/**
 * Names what a file that is not a RIFF/WAVE file looks like, from its first bytes, and says how to
 * convert it. A user who passes an MP3 to a WAV reader needs "this is MP3, run ffmpeg", not "bad
 * header".
 */
final class FileSniffer {
    private FileSniffer() {}

    /** How many leading bytes {@link #describe} wants to see (the MP4 'ftyp' box sits at offset 4). */
    static final int HEAD = 12;

    /**
     * A description such as {@code found 'fLaC' (FLAC): convert with `sox in.flac out.wav` ...}.
     *
     * @param head the first bytes of the file
     * @param n    how many of them are valid (fewer than {@link #HEAD} for a short file)
     */
    static String describe(byte[] head, int n) {
        if (n == 0) return "found an empty file (0 bytes): the recording or download did not complete; record or fetch it again";
        String what = kind(head, n);
        String found = "found " + quoted(head, Math.min(n, 4));
        if (what == null)
            return found + " (not a known audio format; first bytes " + hex(head, n) + "): if it is audio, convert with "
                    + "`ffmpeg -i INPUT -c:a pcm_s16le out.wav`";
        return found + " (" + what + ")";
    }

    private static String kind(byte[] h, int n) {
        if (startsWith(h, n, "fLaC")) return "FLAC: convert with `sox in.flac out.wav` or `ffmpeg -i in.flac out.wav`";
        if (startsWith(h, n, "ID3") || (n >= 2 && (h[0] & 0xFF) == 0xFF && (h[1] & 0xE0) == 0xE0))
            return "MP3: convert with `ffmpeg -i in.mp3 out.wav` (sox needs its mp3 handler)";
        if (startsWith(h, n, "OggS")) return "Ogg (Vorbis or Opus): convert with `ffmpeg -i in.ogg out.wav` or `sox in.ogg out.wav`";
        if (n >= 8 && new String(h, 4, 4, StandardCharsets.ISO_8859_1).equals("ftyp"))
            return "MP4/M4A (AAC or ALAC): convert with `ffmpeg -i in.m4a out.wav`";
        if (startsWith(h, n, "FORM")) return "AIFF/AIFC: convert with `sox in.aiff out.wav` or `ffmpeg -i in.aiff out.wav`";
        if (startsWith(h, n, "RF64") || startsWith(h, n, "BW64"))
            return "RF64/BW64, the 64-bit WAV variant for files over 4 GB: not supported; split it or convert with "
                    + "`ffmpeg -i in.wav -rf64 never out.wav` (files under 4 GB)";
        if (startsWith(h, n, "RIFX")) return "big-endian RIFX WAV: convert with `sox in.wav -L out.wav`";
        if (startsWith(h, n, "RIFF"))
            return "RIFF but of form " + quoted(slice(h, n, 8), Math.max(0, Math.min(n - 8, 4)))
                    + ", not WAVE: extract the audio with `ffmpeg -i INPUT out.wav`";
        if (startsWith(h, n, ".snd")) return "Sun/NeXT AU: convert with `sox in.au out.wav`";
        if (startsWith(h, n, "caff")) return "Apple CAF: convert with `ffmpeg -i in.caf out.wav`";
        if (startsWith(h, n, "#!AMR")) return "AMR speech codec: convert with `ffmpeg -i in.amr out.wav`";
        if (startsWith(h, n, "\u001aE\u00df\u00a3")) return "Matroska/WebM: convert with `ffmpeg -i in.webm out.wav`";
        if (startsWith(h, n, "<") || startsWith(h, n, "{"))
            return "text (HTML, XML or JSON?), not audio: a failed download or a wrong path?";
        return null;
    }

    private static boolean startsWith(byte[] h, int n, String magic) {
        if (n < magic.length()) return false;
        for (int i = 0; i < magic.length(); i++) if ((h[i] & 0xFF) != magic.charAt(i)) return false;
        return true;
    }

    private static byte[] slice(byte[] h, int n, int from) {
        byte[] s = new byte[Math.max(0, n - from)];
        if (s.length > 0) System.arraycopy(h, from, s, 0, s.length);
        return s;
    }

    /** Printable ASCII in quotes, anything else as \xNN, so a binary tag reads safely in a message. */
    static String quoted(byte[] b, int n) {
        StringBuilder s = new StringBuilder("'");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\'' && c != '\\') s.append((char) c);
            else s.append(String.format("\\x%02x", c));
        }
        return s.append('\'').toString();
    }

    private static String hex(byte[] b, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) s.append(i == 0 ? "" : " ").append(String.format("%02x", b[i] & 0xFF));
        return s.toString();
    }
}
