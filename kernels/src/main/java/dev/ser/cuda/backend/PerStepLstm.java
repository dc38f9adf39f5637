package dev.ser.cuda.backend;

import dev.ser.cuda.device.Blas;
import dev.ser.cuda.kernels.Kernels;

/**
 * The CPU's step loop on the device (LstmDirectionF32/F64.forwardRows, backwardRows): per step one
 * recurrent GEMM {@code h W_hh^T} into that step's rows of the gates (row stride T*4H, so no copies) and
 * one launch of the fused cell kernel (lstm.cu); the backward runs the cell backward and one GEMM
 * {@code da W_hh} per step. Two launches a step; works for every size.
 */
final class PerStepLstm implements LstmRecurrence {
    private final CudaBackend backend;

    PerStepLstm(CudaBackend backend) { this.backend = backend; }

    @Override public void forward(Steps p, long y, int yCol, int ldy, long hPrev, long cPrev, long tanhC) {
        Kernels kernels = backend.kernels();
        Blas blas = backend.device().blas();
        int g4 = 4 * p.hidden();
        for (int s = 0; s < p.steps(); s++) {
            int t = p.forwardStep(s);
            if (t < p.maxLen()) {
                // gates[b, t] += h_{t-1}[b] W_hh^T for every row (row stride T*4H); rows past their length ignore it.
                RowMajorGemm.gemm(blas, p.dtype(), false, true, p.batch(), g4, p.hidden(), 1, p.h(), p.hidden(), p.wHh(), p.hidden(),
                        1, p.gates() + (long) t * g4 * p.dtype().bytes, p.steps() * g4);
            }
            kernels.lstmCellForward(p.dtype(), p.batch(), p.steps(), p.hidden(), t, p.lengths(), p.gates(), p.h(), p.c(),
                    y, yCol, ldy, hPrev, cPrev, tanhC);
        }
    }

    @Override public void backward(Steps p, long cPrev, long tanhC, long dy, int yCol, int ldy) {
        Kernels kernels = backend.kernels();
        Blas blas = backend.device().blas();
        int g4 = 4 * p.hidden();
        long stateBytes = (long) p.batch() * p.hidden() * p.dtype().bytes;
        long dhRec = backend.memory().alloc(stateBytes);
        try {
            for (int s = p.steps() - 1; s >= 0; s--) {
                int t = p.forwardStep(s); // the forward's order, reversed
                kernels.lstmCellBackward(p.dtype(), p.batch(), p.steps(), p.hidden(), t, p.lengths(), p.gates(), cPrev, tanhC,
                        p.h(), p.c(), dy, yCol, ldy);
                if (t < p.maxLen()) {
                    // dL/dh_{t-1} = da_t W_hh; rows that did not step keep their dL/dh.
                    RowMajorGemm.gemm(blas, p.dtype(), false, false, p.batch(), p.hidden(), g4, 1,
                            p.gates() + (long) t * g4 * p.dtype().bytes, p.steps() * g4, p.wHh(), p.hidden(), 0, dhRec, p.hidden());
                    kernels.lstmCopyActiveRows(p.dtype(), p.batch(), p.hidden(), t, p.lengths(), dhRec, p.h());
                }
            }
        } finally {
            backend.memory().free(dhRec, stateBytes);
        }
    }
}
