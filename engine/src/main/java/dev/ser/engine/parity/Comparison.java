package dev.ser.engine.parity;

/** One tensor of ours against the reference: the worst element by absolute error and the relative error. */
public record Comparison(String name, int elements, double maxAbsError, double relError, int worstIndex, double ours, double reference) {
    /** rel error = max |ours - ref| / max |ref|: scale-aware, and defined where ref has zeros. */
    public static Comparison of(String name, double[] ours, double[] ref) {
        if (ours.length != ref.length)
            throw new IllegalArgumentException(name + ": we produced " + ours.length + " elements, the reference has " + ref.length);
        double maxDiff = 0, maxRef = 0;
        int worst = 0;
        for (int i = 0; i < ref.length; i++) {
            double d = Math.abs(ours[i] - ref[i]);
            if (d > maxDiff || Double.isNaN(d)) {
                maxDiff = d;
                worst = i;
            }
            maxRef = Math.max(maxRef, Math.abs(ref[i]));
        }
        double rel = maxRef == 0 ? maxDiff : maxDiff / maxRef;
        return new Comparison(name, ref.length, maxDiff, rel, worst, ref.length == 0 ? 0 : ours[worst], ref.length == 0 ? 0 : ref[worst]);
    }

    public boolean within(double tolerance) { return relError <= tolerance; } // NaN is never within

    @Override public String toString() {
        return String.format("%-34s %6d  max abs %.3e  rel %.3e  (worst [%d]: ours %.12g, ref %.12g)",
                name, elements, maxAbsError, relError, worstIndex, ours, reference);
    }
}
