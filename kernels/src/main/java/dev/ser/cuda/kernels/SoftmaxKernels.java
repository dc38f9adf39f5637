package dev.ser.cuda.kernels;

import dev.ser.cuda.device.Dim3;
import dev.ser.cuda.device.KernelArgs;
import dev.ser.engine.tensor.DType;

/** Launches src/main/cuda/softmax.cu and cross_entropy.cu. */
final class SoftmaxKernels {
    private final Launch launch;

    SoftmaxKernels(Launch launch) { this.launch = launch; }

    /** y = softmax(x) or log_softmax(x) over the middle axis of [outer, n, inner]. */
    void softmax(DType p, boolean log, int outer, int n, int inner, long x, long y) {
        long lanes = (long) outer * inner;
        if (lanes == 0 || n == 0) return;
        launch.elementwise("softmax", p, lanes,
                new KernelArgs().i32(log ? 1 : 0).i32(outer).i32(n).i32(inner).ptr(x).ptr(y));
    }

    /** Backend.softmaxGrad (log = false) or logSoftmaxGrad (log = true), y the forward's output. */
    void softmaxGrad(DType p, boolean log, int outer, int n, int inner, long y, long g, long out) {
        long lanes = (long) outer * inner;
        if (lanes == 0 || n == 0) return;
        launch.elementwise("softmax_grad", p, lanes,
                new KernelArgs().i32(log ? 1 : 0).i32(outer).i32(n).i32(inner).ptr(y).ptr(g).ptr(out));
    }

    /**
     * CrossEntropyCpu on the device: loss (one element of p) and grad [n, c]. targets: n int32 class
     * indices, checked by the caller (the kernel trusts them); weights: c elements of p, or 0 for none.
     */
    void softmaxCrossEntropy(DType p, int n, int c, long logits, long targetsI32, long weights, double smoothing,
                             long loss, long grad) {
        if (!(smoothing >= 0 && smoothing <= 1))
            throw new IllegalArgumentException("label smoothing must be in [0, 1], got " + smoothing);
        launch.run(Launch.name("softmax_cross_entropy", p), Dim3.of(1), new KernelArgs()
                .i32(n).i32(c).ptr(logits).ptr(targetsI32).ptr(weights).f64(smoothing).ptr(loss).ptr(grad));
    }
}
