package dev.ser.audio.pipeline;

import java.util.Locale;

/**
 * The per-frame features the pipeline can compute, named as on the command line ({@code --feature mfcc}).
 * The declaration order is the column order of the feature matrix, whatever order the user listed them in,
 * so that one config always gives one layout (see {@link FeatureLayout}).
 */
public enum Feature {
    /** {@code librosa.feature.mfcc}: DCT-II (ortho) of the log-mel spectrogram; n_mfcc columns. Deltas follow it. */
    MFCC,
    /** {@code librosa.power_to_db(librosa.feature.melspectrogram(...))}: log-mel in dB; n_mels columns. */
    MEL,
    /** {@code librosa.feature.chroma_stft}: 12 pitch classes, each frame scaled to max 1 (norm=inf). */
    CHROMA,
    /** {@code librosa.feature.rms} with frame_length=n_fft; 1 column. */
    RMS,
    /** {@code librosa.feature.zero_crossing_rate} with frame_length=n_fft; 1 column. */
    ZCR,
    /** {@code librosa.feature.spectral_centroid} in Hz; 1 column. */
    CENTROID,
    /**
     * {@code librosa.hz_to_midi(librosa.yin(y, fmin=pitch_fmin, fmax=pitch_fmax, frame_length=pitch_frame_length))}:
     * F0 in semitones (MIDI note numbers), then YIN's aperiodicity at that period, capped at 1 (near 0 where the
     * voice is periodic; the F0 of an aperiodic frame means little); 2 columns, blocks "pitch" and
     * "pitch_aperiodicity".
     */
    PITCH,
    /** {@code abs(librosa.stft(...))}: the magnitude spectrum; 1 + n_fft/2 columns. */
    STFT;

    /** The name used in configs and on the command line: {@code mfcc}, {@code mel}, ... */
    public String key() { return name().toLowerCase(Locale.ROOT); }

    public static Feature of(String key) {
        for (Feature f : values()) if (f.key().equals(key.trim().toLowerCase(Locale.ROOT))) return f;
        StringBuilder known = new StringBuilder();
        for (Feature f : values()) known.append(known.isEmpty() ? "" : ", ").append(f.key());
        throw new IllegalArgumentException("unknown feature '" + key + "'; expected one of " + known);
    }
}
