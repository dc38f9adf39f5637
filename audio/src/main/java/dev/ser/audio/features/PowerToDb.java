package dev.ser.audio.features;

/**
 * {@code librosa.power_to_db} and {@code librosa.amplitude_to_db}:
 * {@code 10 log10(max(amin, S)) - 10 log10(max(amin, ref))}, then, if {@code top_db} is given, floored at
 * {@code max(result) - top_db}, the maximum taken over the whole matrix (all frames), as librosa does.
 */
public final class PowerToDb {

    private PowerToDb() {}

    /** librosa's defaults: {@code ref=1.0, amin=1e-10, top_db=80.0}. */
    public static Matrix powerToDb(Matrix s) { return powerToDb(s, 1.0, 1e-10, 80.0); }

    /**
     * @param ref   the reference power (librosa's scalar {@code ref}; its absolute value is used)
     * @param amin  floor on S and ref before the log, > 0
     * @param topDb {@code top_db}: dynamic range kept below the peak; {@code Double.POSITIVE_INFINITY}
     *              for librosa's {@code top_db=None}
     */
    public static Matrix powerToDb(Matrix s, double ref, double amin, double topDb) {
        if (!(amin > 0)) throw new IllegalArgumentException("amin must be strictly positive, got " + amin);
        if (!(topDb >= 0)) throw new IllegalArgumentException("top_db must be non-negative (or +infinity for None), got " + topDb);
        float[] in = s.data();
        float[] out = new float[in.length];
        double offset = 10.0 * Math.log10(Math.max(amin, Math.abs(ref)));
        float max = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < in.length; i++) {
            float v = (float) (10.0 * Math.log10(Math.max(amin, in[i])) - offset);
            out[i] = v;
            if (v > max) max = v;
        }
        if (topDb != Double.POSITIVE_INFINITY && in.length > 0) {
            float floor = (float) (max - topDb);
            for (int i = 0; i < out.length; i++) if (out[i] < floor) out[i] = floor;
        }
        return new Matrix(s.rows(), s.cols(), out);
    }

    /** {@code librosa.power_to_db(S, ref=np.max, amin, top_db)}: 0 dB is the loudest element. */
    public static Matrix powerToDbRefMax(Matrix s, double amin, double topDb) {
        float max = 0;
        for (float v : s.data()) max = Math.max(max, Math.abs(v));
        return powerToDb(s, max, amin, topDb);
    }

    /**
     * {@code librosa.amplitude_to_db(S, ref, amin=1e-5, top_db)}: {@code power_to_db(S^2, ref^2, amin^2,
     * top_db)}, i.e. {@code 20 log10(max(amin, |S|) / max(amin, ref))}.
     */
    public static Matrix amplitudeToDb(Matrix s, double ref, double amin, double topDb) {
        float[] in = s.data();
        float[] sq = new float[in.length];
        // librosa squares in the input's dtype (float32) before taking the log.
        for (int i = 0; i < in.length; i++) sq[i] = Math.abs(in[i]) * Math.abs(in[i]);
        return powerToDb(new Matrix(s.rows(), s.cols(), sq), ref * ref, amin * amin, topDb);
    }
}
