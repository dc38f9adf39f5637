package dev.ser.app.evaluate;

/**
 * Averaging class probabilities over models (seeds or configurations): the ensemble's probability of a class is
 * the mean of its members'. Members trained from different initializations make partly independent errors, so
 * the mean is better calibrated and usually more accurate than any one member (Lakshminarayanan et al., 2017).
 */
final class Ensemble {
    private Ensemble() {}

    /** a + b, element by element, into a new array; both [N][C]. */
    static float[][] add(float[][] a, float[][] b) {
        if (a.length != b.length) throw new IllegalArgumentException(a.length + " rows vs " + b.length);
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            if (a[i].length != b[i].length) throw new IllegalArgumentException("row " + i + ": " + a[i].length + " classes vs " + b[i].length);
            out[i] = new float[a[i].length];
            for (int c = 0; c < a[i].length; c++) out[i][c] = a[i][c] + b[i][c];
        }
        return out;
    }

    static float[][] scale(float[][] a, double factor) {
        float[][] out = new float[a.length][];
        for (int i = 0; i < a.length; i++) {
            out[i] = new float[a[i].length];
            for (int c = 0; c < a[i].length; c++) out[i][c] = (float) (a[i][c] * factor);
        }
        return out;
    }
}
