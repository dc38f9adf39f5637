package dev.ser.audio.io;

/**
 * A decoded clip: mono float samples as {@code librosa.load(path, sr=None, mono=True)} returns them.
 *
 * @param samples    mono samples, channels averaged (librosa {@code to_mono}); full scale is [-1, 1)
 *                   for integer PCM, whatever the file holds for float files
 * @param sampleRate samples per second, as the file's header says (no resampling happened)
 * @param channels   how many channels the file had before averaging
 * @param format     the file's encoding in soundfile's words, container then subtype:
 *                   {@code "WAV PCM_16"}, {@code "WAVEX PCM_24"}, {@code "WAV FLOAT"}, {@code "WAV ULAW"} ...
 */
public record Audio(float[] samples, int sampleRate, int channels, String format) {

    public Audio {
        if (samples == null) throw new IllegalArgumentException("samples must not be null");
        if (sampleRate <= 0) throw new IllegalArgumentException("sampleRate must be positive, got " + sampleRate);
        if (channels <= 0) throw new IllegalArgumentException("channels must be positive, got " + channels);
    }

    /** Duration in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    @Override
    public String toString() {
        return "Audio[" + samples.length + " samples, " + sampleRate + " Hz, " + channels + " ch, " + format + "]";
    }
}
