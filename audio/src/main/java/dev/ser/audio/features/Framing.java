package dev.ser.audio.features;

/** {@code librosa.util.frame}'s frame count, shared by the time-domain features. */
final class Framing {

    private Framing() {}

    /**
     * {@code 1 + (len(y_padded) - frame_length) // hop_length}, where centring pads {@code frame_length/2}
     * samples on each side.
     */
    static int frameCount(int n, int frameLength, int hopLength, boolean center) {
        if (frameLength < 1) throw new IllegalArgumentException("frame_length must be >= 1, got " + frameLength);
        if (hopLength < 1) throw new IllegalArgumentException("hop_length must be >= 1, got " + hopLength);
        int padded = center ? n + 2 * (frameLength / 2) : n;
        if (padded < frameLength)
            throw new IllegalArgumentException("input is too short (n=" + n + ") for frame_length=" + frameLength
                    + " with center=False: use center=True or a shorter frame_length");
        return 1 + (padded - frameLength) / hopLength;
    }
}
