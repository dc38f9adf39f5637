package dev.ser.engine.backend.cpu;

/**
 * The engine's scalar LSTM cell (package-private there) opened to the kernel tests: the reference the
 * CUDA cell kernels mirror. Lives in the engine's package on the test classpath only.
 */
public final class LstmCellReference {
    private LstmCellReference() {}

    public static void forward(int hidden, float[] gates, int gOff, float[] h, float[] c, int sOff, float[] y, int yOff,
                               float[] hPrev, float[] cPrev, float[] tanhC, int saveOff) {
        LstmCellF32.forward(hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
    }

    public static void forward(int hidden, double[] gates, int gOff, double[] h, double[] c, int sOff, double[] y, int yOff,
                               double[] hPrev, double[] cPrev, double[] tanhC, int saveOff) {
        LstmCellF64.forward(hidden, gates, gOff, h, c, sOff, y, yOff, hPrev, cPrev, tanhC, saveOff);
    }

    public static void backward(int hidden, float[] gates, int gOff, float[] cPrev, float[] tanhC, int saveOff,
                                float[] dh, float[] dc, int sOff, float[] dy, int dyOff) {
        LstmCellF32.backward(hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
    }

    public static void backward(int hidden, double[] gates, int gOff, double[] cPrev, double[] tanhC, int saveOff,
                                double[] dh, double[] dc, int sOff, double[] dy, int dyOff) {
        LstmCellF64.backward(hidden, gates, gOff, cPrev, tanhC, saveOff, dh, dc, sOff, dy, dyOff);
    }
}
