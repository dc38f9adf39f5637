package dev.ser.cuda.kernels;

import dev.ser.engine.tensor.DType;

import static org.junit.jupiter.api.Assertions.fail;

/** Element-by-element comparison that names the worst element, as llm.c's checks do. */
final class Compare {
    private Compare() {}

    /** Tolerance F32 1e-5 relative, F64 1e-12 relative (each with an absolute floor of the same size). */
    static double tolerance(DType p) { return p == DType.F32 ? 1e-5 : 1e-12; }

    static void close(String what, double[] expected, double[] actual, double tol) {
        if (expected.length != actual.length) fail(what + ": " + expected.length + " expected elements, got " + actual.length);
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i], a = actual[i];
            if (Double.compare(e, a) == 0 || (Double.isNaN(e) && Double.isNaN(a))) continue;
            double err = Math.abs(e - a), allowed = tol * Math.max(1, Math.abs(e));
            if (!(err <= allowed) && (worst < 0 || !(err / allowed <= worstExcess))) {
                worst = i;
                worstExcess = err / allowed;
            }
        }
        if (worst >= 0)
            fail(what + ": worst element [" + worst + "] expected " + expected[worst] + ", got " + actual[worst] + " (|diff| "
                    + Math.abs(expected[worst] - actual[worst]) + ", tolerance " + tol + " relative)");
    }

    /** The same bits (NaN matches NaN): for kernels that do the reference's operations in the same order. */
    static void exact(String what, double[] expected, double[] actual) { close(what, expected, actual, 0); }
}
