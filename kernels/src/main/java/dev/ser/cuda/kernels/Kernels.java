package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Device;
import dev.ser.engine.backend.Backend;
import dev.ser.engine.tensor.DType;

/** TEMPORARY signatures (the kernels branch brings the real class); lets the backend compile meanwhile. */
public final class Kernels {
    public Kernels(Device device) {}

    private static RuntimeException todo() { return new UnsupportedOperationException("kernels not merged yet"); }

    public void fill(DType p, long n, double value, long out) { throw todo(); }
    public void cast(DType from, DType to, long n, long in, long out) { throw todo(); }
    public void affine(DType p, long n, long x, double scale, double shift, long out) { throw todo(); }
    public void accumulate(DType p, long n, long src, long dst) { throw todo(); }
    public void unary(DType p, Backend.UnaryOp op, long n, long x, long out) { throw todo(); }
    public void unaryGrad(DType p, Backend.UnaryOp op, long n, long x, long y, long g, long out) { throw todo(); }
    public void binary(DType p, Backend.BinaryOp op, int[] outShape, long a, int[] aStrides, long b, int[] bStrides, long out) { throw todo(); }
    public void gather(DType p, int[] outShape, long in, long inOffset, int[] inStrides, long out) { throw todo(); }
    public void scatter(DType p, int[] shape, long in, long out, long outOffset, int[] outStrides) { throw todo(); }
    public void sum(DType p, int outer, int n, int inner, long in, long out) { throw todo(); }
    public void max(DType p, int outer, int n, int inner, long in, long out) { throw todo(); }
    public void sumSquares(DType p, long n, long x, long outF64) { throw todo(); }
    public void softmax(DType p, boolean log, int outer, int n, int inner, long x, long y) { throw todo(); }
    public void softmaxGrad(DType p, boolean log, int outer, int n, int inner, long y, long g, long out) { throw todo(); }
    public void softmaxCrossEntropy(DType p, int n, int c, long logits, long targetsI32, long weights, double smoothing, long loss, long grad) { throw todo(); }
    public void lstmBiasInit(DType p, int rows, int gates4, long bIh, long bHh, long gates) { throw todo(); }
    public void lstmCellForward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long h, long c, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) { throw todo(); }
    public void lstmCellBackward(DType p, int batch, int steps, int hidden, int t, long lengthsI32, long gates, long cPrev, long tanhC, long dh, long dc, long dy, int yCol, int ldy) { throw todo(); }
    public void lstmCopyActiveRows(DType p, int batch, int hidden, int t, long lengthsI32, long src, long dst) { throw todo(); }
    public void adam(DType p, long n, long param, long grad, long expAvg, long expAvgSq, long maxExpAvgSq, double beta1, double beta2, double eps, double decay, double l2, double stepSize, double bc2Sqrt) { throw todo(); }
}
