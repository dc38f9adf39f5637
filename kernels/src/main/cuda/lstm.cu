// The pointwise half of an LSTM step over all batch rows, forward and backward; the matrix products
// (x W_ih^T for all steps, h W_hh^T per step, and the weight gradients) are GEMMs the backend issues
// through Blas. CPU reference: LstmDirectionF32/F64.forwardRows and backwardRows (the per-step inner
// loop) with LstmCellF32/F64.forward and backward (the scalar versions), operation for operation.
// Test: LstmKernelsTest.
//
// Gate order i, f, g, o; gates is [B, T, 4H]. Ragged batches: a row whose step t is at or past its
// length does not step; its state stays frozen, its output y and saved values are 0 and (backward) its
// dgates are 0, so the GEMMs over all B*T rows pick up nothing from padding.
//
// The cell arithmetic itself is lstm_cell.cuh, shared with the persistent kernels (lstm_persistent.cu).
#include "lstm_cell.cuh"

// Every row r of gates [rows, 4H] starts as b_ih + b_hh (then the input GEMM adds x W_ih^T with beta = 1).
template <typename T>
__device__ void lstmBiasInit(int rows, int gates4, const T* __restrict__ bIh, const T* __restrict__ bHh,
                             T* __restrict__ gates) {
    SER_FOR_EACH(k, (long long) rows * gates4) {
        int j = (int) (k % gates4);
        gates[k] = bIh[j] + bHh[j];
    }
}
extern "C" __global__ void lstm_bias_init_f32(int rows, int gates4, const float* bIh, const float* bHh, float* gates) {
    lstmBiasInit(rows, gates4, bIh, bHh, gates);
}
extern "C" __global__ void lstm_bias_init_f64(int rows, int gates4, const double* bIh, const double* bHh,
                                              double* gates) {
    lstmBiasInit(rows, gates4, bIh, bHh, gates);
}

// One thread per (b, j). hPrev, cPrev, tanhC: [B, T, H], null for inference (nothing saved, gates keep
// their pre-activations). y[(b*T + t)*ldy + yCol + j] receives h_t.
template <typename T>
__device__ void lstmCellForward(int batch, int steps, int hidden, int t, const int* __restrict__ lengths,
                                T* __restrict__ gates, T* __restrict__ h, T* __restrict__ c, T* __restrict__ y,
                                int yCol, int ldy, T* __restrict__ hPrev, T* __restrict__ cPrev,
                                T* __restrict__ tanhC) {
    SER_FOR_EACH(k, (long long) batch * hidden) {
        int b = (int) (k / hidden), j = (int) (k % hidden);
        long long row = (long long) b * steps + t;
        long long yAt = row * ldy + yCol + j, saveAt = row * hidden + j, state = (long long) b * hidden + j;
        bool save = tanhC != nullptr;
        if (t < lengths[b]) {
            long long gi = row * 4 * hidden + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
            LstmCellForward<T> r = lstmCellStep(gates[gi], gates[gf], gates[gg], gates[go], c[state]);
            if (save) {
                hPrev[saveAt] = h[state];
                cPrev[saveAt] = c[state];
                tanhC[saveAt] = r.tanhC;
                gates[gi] = r.i;
                gates[gf] = r.f;
                gates[gg] = r.g;
                gates[go] = r.o;
            }
            c[state] = r.c;
            h[state] = r.h;
            y[yAt] = r.h;
        } else {
            y[yAt] = 0;
            if (save) {
                // Zeros, not leftovers: the dW_hh GEMM multiplies these by zero dgates, and 0 * NaN is NaN.
                hPrev[saveAt] = 0;
                cPrev[saveAt] = 0;
                tanhC[saveAt] = 0;
            }
        }
    }
}
extern "C" __global__ void lstm_cell_forward_f32(int batch, int steps, int hidden, int t, const int* lengths,
                                                 float* gates, float* h, float* c, float* y, int yCol, int ldy,
                                                 float* hPrev, float* cPrev, float* tanhC) {
    lstmCellForward(batch, steps, hidden, t, lengths, gates, h, c, y, yCol, ldy, hPrev, cPrev, tanhC);
}
extern "C" __global__ void lstm_cell_forward_f64(int batch, int steps, int hidden, int t, const int* lengths,
                                                 double* gates, double* h, double* c, double* y, int yCol, int ldy,
                                                 double* hPrev, double* cPrev, double* tanhC) {
    lstmCellForward(batch, steps, hidden, t, lengths, gates, h, c, y, yCol, ldy, hPrev, cPrev, tanhC);
}

// Backward through step t (docs/engine.md section 4, "one step"). gates in: the saved activations;
// out: dL/da. dh [B, H]: dL/dh_t from later steps, read only (the backend overwrites it with
// da W_hh afterwards, through lstm_copy_active_rows). dc [B, H]: in dL/dc_t, out dL/dc_{t-1}.
template <typename T>
__device__ void lstmCellBackward(int batch, int steps, int hidden, int t, const int* __restrict__ lengths,
                                 T* __restrict__ gates, const T* __restrict__ cPrev, const T* __restrict__ tanhC,
                                 const T* __restrict__ dh, T* __restrict__ dc, const T* __restrict__ dy, int yCol,
                                 int ldy) {
    SER_FOR_EACH(k, (long long) batch * hidden) {
        int b = (int) (k / hidden), j = (int) (k % hidden);
        long long row = (long long) b * steps + t;
        long long gi = row * 4 * hidden + j, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
        if (t < lengths[b]) {
            long long saveAt = row * hidden + j, state = (long long) b * hidden + j;
            LstmCellBackward<T> r = lstmCellGrad(gates[gi], gates[gf], gates[gg], gates[go], tanhC[saveAt], cPrev[saveAt],
                                                 dh[state] + dy[row * ldy + yCol + j], dc[state]);
            gates[gi] = r.di;
            gates[gf] = r.df;
            gates[gg] = r.dg;
            gates[go] = r.dO;
            dc[state] = r.dcPrev;
        } else {
            gates[gi] = 0;
            gates[gf] = 0;
            gates[gg] = 0;
            gates[go] = 0;
        }
    }
}
extern "C" __global__ void lstm_cell_backward_f32(int batch, int steps, int hidden, int t, const int* lengths,
                                                  float* gates, const float* cPrev, const float* tanhC,
                                                  const float* dh, float* dc, const float* dy, int yCol, int ldy) {
    lstmCellBackward(batch, steps, hidden, t, lengths, gates, cPrev, tanhC, dh, dc, dy, yCol, ldy);
}
extern "C" __global__ void lstm_cell_backward_f64(int batch, int steps, int hidden, int t, const int* lengths,
                                                  double* gates, const double* cPrev, const double* tanhC,
                                                  const double* dh, double* dc, const double* dy, int yCol, int ldy) {
    lstmCellBackward(batch, steps, hidden, t, lengths, gates, cPrev, tanhC, dh, dc, dy, yCol, ldy);
}

// dst[b] = src[b] for the rows that stepped at t: dL/dh_{t-1} = da_t W_hh only where there was a step;
// the other rows keep their dL/dh (LstmDirection.backwardRows, the dhRec copy).
template <typename T>
__device__ void lstmCopyActiveRows(int batch, int hidden, int t, const int* __restrict__ lengths,
                                   const T* __restrict__ src, T* __restrict__ dst) {
    SER_FOR_EACH(k, (long long) batch * hidden) {
        if (t < lengths[k / hidden]) dst[k] = src[k];
    }
}
extern "C" __global__ void lstm_copy_active_rows_f32(int batch, int hidden, int t, const int* lengths,
                                                     const float* src, float* dst) {
    lstmCopyActiveRows(batch, hidden, t, lengths, src, dst);
}
extern "C" __global__ void lstm_copy_active_rows_f64(int batch, int hidden, int t, const int* lengths,
                                                     const double* src, double* dst) {
    lstmCopyActiveRows(batch, hidden, t, lengths, src, dst);
}

EMU_REGISTER(lstm_bias_init_f32) EMU_REGISTER(lstm_bias_init_f64)
EMU_REGISTER(lstm_cell_forward_f32) EMU_REGISTER(lstm_cell_forward_f64)
EMU_REGISTER(lstm_cell_backward_f32) EMU_REGISTER(lstm_cell_backward_f64)
EMU_REGISTER(lstm_copy_active_rows_f32) EMU_REGISTER(lstm_copy_active_rows_f64)
