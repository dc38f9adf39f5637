// The whole recurrence of one LSTM layer and direction in one cooperative launch ("persistent" RNN,
// after Diamos et al. 2016, and cuDNN's CUDNN_RNN_ALGO_PERSIST_STATIC): block k owns hidden units
// [k*U, (k+1)*U), keeps its slice of W_hh in shared memory for all T steps, and the blocks meet at one
// grid barrier per step. What it replaces, per step: a cuBLAS GEMM h W_hh^T (which reads all of W_hh
// from L2/HBM every step) and a cell launch (lstm.cu), i.e. two launches per step.
//
// Same function as the per-step path (CudaLstm.PER_STEP: recurrent GEMM + lstm_cell_forward/backward):
// the same cell arithmetic (lstm_cell.cuh), the same saved values, the same ragged-length rule; only the
// order of the recurrent dot products may differ from cuBLAS's (a sum of H or 4H products, within the
// backend tests' 1e-5 F32 / 1e-12 F64 of scale). CPU reference: LstmDirectionF32/F64 (the step loops).
// Test: PersistentLstmTest (against CudaLstm's per-step path and the CPU backend).
//
// Geometry (chosen by PersistentLstm.plan from H, B and the device's limits): a 1-D grid of ceil(H/U)
// blocks, all co-resident (cooperative launch); each thread owns up to SER_PERSIST_ITEMS (b, u) items,
// item k = m * blockDim.x + threadIdx.x -> b = k / U, u = k % U, for its whole life, so the running
// state (c, and h or dh) of an item stays in that thread's registers. h_{t-1} (forward) or da_t
// (backward) is staged through shared memory in chunks of at most `chunk` batch rows.
//
// Memory ordering: values other blocks wrote during this launch (h_t, da_t) are read only after the grid
// barrier and with __ldcg (L2, coherent across SMs); the read-only/texture path (__ldg, const
// __restrict__ inference) could return stale lines, so those pointers are deliberately not __restrict__.
#include "lstm_cell.cuh"

// Items (b, u) per thread: the register arrays' size. PersistentLstm.ITEMS_PER_THREAD must match.
#define SER_PERSIST_ITEMS 4
// Threads per block at most (__launch_bounds__: at most 128 registers a thread). PersistentLstm.MAX_THREADS.
#define SER_PERSIST_THREADS 512

// Forward over all steps. gates [B, T, 4H]: in x W_ih^T + b_ih + b_hh; out (training) the activated
// gates, as lstm_cell_forward leaves them. h, c [B, H]: in h_0/c_0, out h_n/c_n (frozen rows keep
// theirs). hx [2, B, H]: the exchange buffer (step s writes slot s & 1). y, yCol, ldy, hPrev, cPrev, tanhC
// as lstm_cell_forward (the three saves null for inference).
// Dynamic shared memory: (4 * units + chunk) * (hidden + 1) elements: the block's 4U rows of W_hh
// (gate g, unit u at row g * units + u), then the staged rows of h_{t-1}; rows padded to H + 1 so
// that the lanes of a warp, which read 32 consecutive units' rows at the same column, hit 32 banks.
template <typename T>
__device__ void lstmPersistentForward(int batch, int steps, int hidden, int reverse, int units, int chunk,
                                      const int* __restrict__ lengths, T* gates, const T* __restrict__ wHh, T* h,
                                      T* c, T* hx, T* y, int yCol, int ldy, T* hPrev, T* cPrev, T* tanhC) {
    SER_DYNAMIC_SHARED(T, shared);
    const int ld = hidden + 1;
    T* w = shared;
    T* hs = shared + (long long) 4 * units * ld;
    const int unit0 = blockIdx.x * units;
    const int here = hidden - unit0 < units ? hidden - unit0 : units;  // the last block may own fewer units
    const bool save = tanhC != nullptr;

    for (long long k = threadIdx.x; k < (long long) 4 * units * hidden; k += blockDim.x) {
        int r = (int) (k / hidden), col = (int) (k % hidden), g = r / units, u = r % units;
        if (u < here) w[(long long) r * ld + col] = wHh[((long long) g * hidden + unit0 + u) * hidden + col];
    }
    T hReg[SER_PERSIST_ITEMS], cReg[SER_PERSIST_ITEMS];
#pragma unroll
    for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
        int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
        hReg[m] = cReg[m] = 0;
        if (b < batch && u < here) {
            hReg[m] = h[(long long) b * hidden + unit0 + u];
            cReg[m] = c[(long long) b * hidden + unit0 + u];
        }
    }
    for (int s = 0; s < steps; s++) {
        const int t = reverse ? steps - 1 - s : s;
        const T* src = s == 0 ? h : hx + (long long) ((s - 1) & 1) * batch * hidden;
        T* dst = hx + (long long) (s & 1) * batch * hidden;
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            const int rows = batch - b0 < chunk ? batch - b0 : chunk;
            __syncthreads();  // the previous chunk's products are done with hs (and, the first time, w is loaded)
            for (int k = threadIdx.x; k < rows * hidden; k += blockDim.x)
                hs[(k / hidden) * ld + k % hidden] = __ldcg(src + (long long) b0 * hidden + k);
            __syncthreads();
#pragma unroll
            for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
                int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
                if (b < b0 || b >= b0 + rows || u >= here) continue;
                const int j = unit0 + u;
                const long long row = (long long) b * steps + t;
                const long long yAt = row * ldy + yCol + j, saveAt = row * hidden + j;
                if (t < lengths[b]) {
                    const long long gi = row * 4 * hidden + j;
                    const T* hRow = hs + (b - b0) * ld;
                    T a[4];
#pragma unroll
                    for (int g = 0; g < 4; g++) {
                        // gates + h W_hh^T, as the per-step path's GEMM with beta = 1: the product first.
                        const T* wRow = w + (long long) (g * units + u) * ld;
                        T dot = 0;
                        for (int k = 0; k < hidden; k++) dot += hRow[k] * wRow[k];
                        a[g] = dot + gates[gi + (long long) g * hidden];
                    }
                    LstmCellForward<T> r = lstmCellStep(a[0], a[1], a[2], a[3], cReg[m]);
                    if (save) {
                        hPrev[saveAt] = hReg[m];
                        cPrev[saveAt] = cReg[m];
                        tanhC[saveAt] = r.tanhC;
                        gates[gi] = r.i;
                        gates[gi + hidden] = r.f;
                        gates[gi + 2LL * hidden] = r.g;
                        gates[gi + 3LL * hidden] = r.o;
                    }
                    cReg[m] = r.c;
                    hReg[m] = r.h;
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
                dst[(long long) b * hidden + j] = hReg[m];  // a frozen row passes its state on unchanged
            }
        }
        SER_GRID_SYNC();  // h_t complete in hx for every block; also: nobody reads h (step 0) any more
    }
#pragma unroll
    for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
        int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
        if (b < batch && u < here) {
            h[(long long) b * hidden + unit0 + u] = hReg[m];
            c[(long long) b * hidden + unit0 + u] = cReg[m];
        }
    }
}
extern "C" __global__ __launch_bounds__(SER_PERSIST_THREADS) void lstm_persistent_forward_f32(int batch, int steps, int hidden, int reverse, int units,
                                                       int chunk, const int* lengths, float* gates, const float* wHh,
                                                       float* h, float* c, float* hx, float* y, int yCol, int ldy,
                                                       float* hPrev, float* cPrev, float* tanhC) {
    lstmPersistentForward(batch, steps, hidden, reverse, units, chunk, lengths, gates, wHh, h, c, hx, y, yCol, ldy,
                          hPrev, cPrev, tanhC);
}
extern "C" __global__ __launch_bounds__(SER_PERSIST_THREADS) void lstm_persistent_forward_f64(int batch, int steps, int hidden, int reverse, int units,
                                                       int chunk, const int* lengths, double* gates, const double* wHh,
                                                       double* h, double* c, double* hx, double* y, int yCol, int ldy,
                                                       double* hPrev, double* cPrev, double* tanhC) {
    lstmPersistentForward(batch, steps, hidden, reverse, units, chunk, lengths, gates, wHh, h, c, hx, y, yCol, ldy,
                          hPrev, cPrev, tanhC);
}

// Backward over all steps, in the forward's order reversed. gates in: the saved activations; out: dL/da
// for every step (zero on padded steps), ready for the weight-gradient GEMMs. dh, dc [B, H]: in dL/dh_n,
// dL/dc_n; out dL/dh_0, dL/dc_0. Per step, phase 1: the cell backward of the block's own units (dh from
// dy plus the recurrent part this same thread computed in the previous step's phase 2; dc in registers),
// writing da_t; one grid barrier; phase 2: dL/dh_{t-1}[b, u] = sum_j da_t[b, j] W_hh[j, u] for the block's
// own units, with the block's column slice of W_hh in shared memory, for the rows that stepped.
// Phase 2 of step t reads da_t while faster blocks already write da_{t-1} (other addresses), so one
// barrier per step suffices.
// Dynamic shared memory: (units + chunk) * (4 * hidden + 1) elements: W_hh[:, unit0 + u] as row u, then
// the staged rows of da_t; padded to 4H + 1 for the same bank reason as the forward.
template <typename T>
__device__ void lstmPersistentBackward(int batch, int steps, int hidden, int reverse, int units, int chunk,
                                       const int* __restrict__ lengths, T* gates, const T* __restrict__ cPrev,
                                       const T* __restrict__ tanhC, const T* __restrict__ wHh, T* dh, T* dc,
                                       const T* __restrict__ dy, int yCol, int ldy) {
    SER_DYNAMIC_SHARED(T, shared);
    const int g4 = 4 * hidden, ld = g4 + 1;
    T* wt = shared;
    T* ds = shared + (long long) units * ld;
    const int unit0 = blockIdx.x * units;
    const int here = hidden - unit0 < units ? hidden - unit0 : units;

    for (long long k = threadIdx.x; k < (long long) units * g4; k += blockDim.x) {
        int u = (int) (k / g4), q = (int) (k % g4);
        if (u < here) wt[(long long) u * ld + q] = wHh[(long long) q * hidden + unit0 + u];
    }
    T dhReg[SER_PERSIST_ITEMS], dcReg[SER_PERSIST_ITEMS];
#pragma unroll
    for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
        int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
        dhReg[m] = dcReg[m] = 0;
        if (b < batch && u < here) {
            dhReg[m] = dh[(long long) b * hidden + unit0 + u];
            dcReg[m] = dc[(long long) b * hidden + unit0 + u];
        }
    }
    for (int s = 0; s < steps; s++) {
        const int t = reverse ? s : steps - 1 - s;
#pragma unroll
        for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
            int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
            if (b >= batch || u >= here) continue;
            const int j = unit0 + u;
            const long long row = (long long) b * steps + t, gi = row * g4 + j;
            if (t < lengths[b]) {
                const long long saveAt = row * hidden + j;
                LstmCellBackward<T> r = lstmCellGrad(gates[gi], gates[gi + hidden], gates[gi + 2LL * hidden],
                                                     gates[gi + 3LL * hidden], tanhC[saveAt], cPrev[saveAt],
                                                     dhReg[m] + dy[row * ldy + yCol + j], dcReg[m]);
                gates[gi] = r.di;
                gates[gi + hidden] = r.df;
                gates[gi + 2LL * hidden] = r.dg;
                gates[gi + 3LL * hidden] = r.dO;
                dcReg[m] = r.dcPrev;
            } else {
                gates[gi] = 0;
                gates[gi + hidden] = 0;
                gates[gi + 2LL * hidden] = 0;
                gates[gi + 3LL * hidden] = 0;
            }
        }
        SER_GRID_SYNC();  // da_t complete for every unit
        for (int b0 = 0; b0 < batch; b0 += chunk) {
            const int rows = batch - b0 < chunk ? batch - b0 : chunk;
            __syncthreads();  // the previous chunk's products are done with ds (the first time: wt is loaded)
            for (int k = threadIdx.x; k < rows * g4; k += blockDim.x)
                ds[(k / g4) * ld + k % g4] = __ldcg(gates + ((long long) (b0 + k / g4) * steps + t) * g4 + k % g4);
            __syncthreads();
#pragma unroll
            for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
                int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
                if (b < b0 || b >= b0 + rows || u >= here || t >= lengths[b]) continue;  // padded: dh stays
                const T* dRow = ds + (b - b0) * ld;
                const T* wRow = wt + (long long) u * ld;
                T dot = 0;
                for (int q = 0; q < g4; q++) dot += dRow[q] * wRow[q];
                dhReg[m] = dot;
            }
        }
    }
#pragma unroll
    for (int m = 0; m < SER_PERSIST_ITEMS; m++) {
        int item = m * blockDim.x + threadIdx.x, b = item / units, u = item % units;
        if (b < batch && u < here) {
            dh[(long long) b * hidden + unit0 + u] = dhReg[m];
            dc[(long long) b * hidden + unit0 + u] = dcReg[m];
        }
    }
}
extern "C" __global__ __launch_bounds__(SER_PERSIST_THREADS) void lstm_persistent_backward_f32(int batch, int steps, int hidden, int reverse, int units,
                                                        int chunk, const int* lengths, float* gates, const float* cPrev,
                                                        const float* tanhC, const float* wHh, float* dh, float* dc,
                                                        const float* dy, int yCol, int ldy) {
    lstmPersistentBackward(batch, steps, hidden, reverse, units, chunk, lengths, gates, cPrev, tanhC, wHh, dh, dc, dy,
                           yCol, ldy);
}
extern "C" __global__ __launch_bounds__(SER_PERSIST_THREADS) void lstm_persistent_backward_f64(int batch, int steps, int hidden, int reverse, int units,
                                                        int chunk, const int* lengths, double* gates,
                                                        const double* cPrev, const double* tanhC, const double* wHh,
                                                        double* dh, double* dc, const double* dy, int yCol, int ldy) {
    lstmPersistentBackward(batch, steps, hidden, reverse, units, chunk, lengths, gates, cPrev, tanhC, wHh, dh, dc, dy,
                           yCol, ldy);
}

EMU_REGISTER(lstm_persistent_forward_f32) EMU_REGISTER(lstm_persistent_forward_f64)
EMU_REGISTER(lstm_persistent_backward_f32) EMU_REGISTER(lstm_persistent_backward_f64)
