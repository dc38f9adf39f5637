package dev.ser.audio.features;

/**
 * {@code librosa.feature.rms(y, frame_length, hop_length, center, pad_mode='constant')}: per frame,
 * {@code sqrt(mean(y[n]^2))} over {@code frame_length} samples, frames {@code hop_length} apart; with
 * {@code center=True} the signal gets {@code frame_length/2} zeros on each side first. Result [1, n_frames].
 */
public final class Rms {

    private Rms() {}

    /** librosa's defaults: {@code frame_length=2048, hop_length=512, center=True}. */
    public static Matrix rms(float[] y) { return rms(y, 2048, 512, true); }

    public static Matrix rms(float[] y, int frameLength, int hopLength, boolean center) {
        int frames = Framing.frameCount(y.length, frameLength, hopLength, center);
        int offset = center ? frameLength / 2 : 0;
        float[] out = new float[frames];
        for (int t = 0; t < frames; t++) {
            int start = t * hopLength - offset;
            int from = Math.max(0, start), to = Math.min(y.length, start + frameLength);
            double acc = 0;
            for (int i = from; i < to; i++) acc += (double) y[i] * y[i];
            // Zero padding adds nothing to the sum but still counts in the mean.
            out[t] = (float) Math.sqrt(acc / frameLength);
        }
        return new Matrix(1, frames, out);
    }
}
