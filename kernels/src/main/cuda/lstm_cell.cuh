// The scalar LSTM cell, forward and backward, shared by the per-step cell kernels (lstm.cu) and the
// persistent kernels (lstm_persistent.cu), so both compute the same function operation for operation.
// CPU reference: LstmCellF32/F64.forward and backward (the scalar versions).
//
// F32: sigmoid and tanh are evaluated in double and rounded once, as the scalar LstmCellF32 does;
// everything else is float arithmetic in the reference's order (compiled with -fmad=false: no fma).
#pragma once

#include "common.cuh"

// 1/(1 + e^-x) in double (LstmCellF64.sigmoid; LstmCellF32.sigmoid rounds it once).
__device__ __forceinline__ double lstmSigmoid(double x) { return 1 / (1 + exp(-x)); }

// One unit of one step: the activated gates, the new cell state, tanh(c_t) and h_t.
template <typename T>
struct LstmCellForward {
    T i, f, g, o, c, tanhC, h;
};

// ai..ao are the pre-activations x W_ih^T + b_ih + b_hh + h_{t-1} W_hh^T of gates i, f, g, o.
template <typename T>
__device__ __forceinline__ LstmCellForward<T> lstmCellStep(T ai, T af, T ag, T ao, T cOld) {
    LstmCellForward<T> r;
    r.i = (T) lstmSigmoid(ai);
    r.f = (T) lstmSigmoid(af);
    r.g = (T) tanh((double) ag);
    r.o = (T) lstmSigmoid(ao);
    r.c = r.f * cOld + r.i * r.g;
    r.tanhC = (T) tanh((double) r.c);
    r.h = r.o * r.tanhC;
    return r;
}

// dL/da for the four gates and dL/dc_{t-1}, from the saved activations (docs/engine.md section 4, "one step").
template <typename T>
struct LstmCellBackward {
    T di, df, dg, dO, dcPrev;
};

// dhT = dL/dh_t (from later steps plus dy), dcIn = dL/dc_t from step t+1.
template <typename T>
__device__ __forceinline__ LstmCellBackward<T> lstmCellGrad(T i, T f, T g, T o, T tanhC, T cPrev, T dhT, T dcIn) {
    LstmCellBackward<T> r;
    // h_t = o * tanh(c_t): c_t receives from h_t through tanh, plus what c_{t+1} sent back.
    T dcT = dcIn + dhT * o * (1 - tanhC * tanhC);
    // c_t = f * c_{t-1} + i * g, then each gate through its activation's derivative.
    r.di = dcT * g * i * (1 - i);
    r.df = dcT * cPrev * f * (1 - f);
    r.dg = dcT * i * (1 - g * g);
    r.dO = dhT * tanhC * o * (1 - o);
    r.dcPrev = dcT * f;
    return r;
}
