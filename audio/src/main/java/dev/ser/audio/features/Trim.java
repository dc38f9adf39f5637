package dev.ser.audio.features;

/**
 * {@code librosa.effects.trim(y, top_db, ref=np.max, frame_length, hop_length)}: the interval of
 * {@code y} between the first and last non-silent frames. A frame is non-silent when its RMS
 * ({@link Rms}, centred, zero padding) in dB relative to the loudest frame
 * ({@code amplitude_to_db(rms, ref=np.max)}, amin 1e-5) is above {@code -top_db}. The interval is
 * {@code [first * hop_length, min(len(y), (last + 1) * hop_length))}; if no frame is non-silent, [0, 0).
 */
public final class Trim {

    private Trim() {}

    /** A half-open sample interval {@code [start, end)}, as librosa's second return value. */
    public record Interval(int start, int end) {
        public int length() { return end - start; }
    }

    /** librosa's defaults: {@code top_db=60, frame_length=2048, hop_length=512}. */
    public static Interval interval(float[] y) { return interval(y, 60, 2048, 512); }

    public static Interval interval(float[] y, double topDb, int frameLength, int hopLength) {
        Matrix rms = Rms.rms(y, frameLength, hopLength, true);
        float ref = 0;
        for (float v : rms.data()) ref = Math.max(ref, v);
        Matrix db = PowerToDb.amplitudeToDb(rms, ref, 1e-5, Double.POSITIVE_INFINITY);
        float[] d = db.data();
        int first = -1, last = -1;
        for (int t = 0; t < d.length; t++) {
            if (d[t] > -topDb) {
                if (first < 0) first = t;
                last = t;
            }
        }
        if (first < 0) return new Interval(0, 0);
        return new Interval(first * hopLength, Math.min(y.length, (last + 1) * hopLength));
    }

    /** The trimmed samples, {@code y[start:end]}. */
    public static float[] trim(float[] y, double topDb, int frameLength, int hopLength) {
        Interval iv = interval(y, topDb, frameLength, hopLength);
        return java.util.Arrays.copyOfRange(y, iv.start(), iv.end());
    }
}
