package dev.ser.cuda.cudnn;

import dev.ser.engine.tensor.DType;

import java.util.Arrays;

/**
 * What one cuDNN LSTM call is: the stack it computes ({@code numLayers} layers of {@code hiddenSize}, one or
 * two directions, the first layer reading {@code inputSize} features) and the batch it runs on ({@code batch}
 * sequences of at most {@code maxSeqLength} steps, each of its own length, batch-major [B, T, features]).
 * Validated here, before any descriptor is made, so that a mistake reads as our message rather than as
 * cuDNN's CUDNN_STATUS_BAD_PARAM.
 *
 * <p>{@code tf32}: float32 products may use TF32 tensor cores (cuDNN's CUDNN_DEFAULT_MATH on Ampere and
 * later); off, they use CUDNN_FMA_MATH, full float32 as PyTorch does when {@code allow_tf32} is false.
 */
public record RnnShape(DType dtype, int inputSize, int hiddenSize, int numLayers, boolean bidirectional,
                       int batch, int maxSeqLength, int[] lengths, boolean tf32) {
    public RnnShape {
        if (dtype == null) throw new IllegalArgumentException("cuDNN LSTM: dtype is null; use F32 or F64");
        if (inputSize < 1 || hiddenSize < 1 || numLayers < 1)
            throw new IllegalArgumentException("cuDNN LSTM needs inputSize, hiddenSize and numLayers >= 1, found inputSize="
                    + inputSize + ", hiddenSize=" + hiddenSize + ", numLayers=" + numLayers);
        if (batch < 1 || maxSeqLength < 1)
            throw new IllegalArgumentException("cuDNN LSTM needs batch >= 1 and maxSeqLength >= 1, found batch=" + batch
                    + ", maxSeqLength=" + maxSeqLength);
        if (lengths == null || lengths.length != batch)
            throw new IllegalArgumentException("cuDNN LSTM needs one length per sequence: batch " + batch + ", found "
                    + (lengths == null ? "no lengths" : lengths.length + " lengths"));
        for (int b = 0; b < batch; b++)
            if (lengths[b] < 1 || lengths[b] > maxSeqLength)
                throw new IllegalArgumentException("cuDNN LSTM: lengths[" + b + "] = " + lengths[b] + " is outside 1.."
                        + maxSeqLength + " (every sequence needs at least one step, and at most the padded time axis)");
        lengths = lengths.clone();
    }

    public int numDirections() { return bidirectional ? 2 : 1; }

    /** cudnnDataType_t: CUDNN_DATA_FLOAT (0) or CUDNN_DATA_DOUBLE (1). */
    int dataType() { return dtype == DType.F32 ? CudnnConstants.CUDNN_DATA_FLOAT : CudnnConstants.CUDNN_DATA_DOUBLE; }

    /** cudnnMathType_t for float32 (FMA unless TF32 is allowed) and float64 (default: no tensor cores for double). */
    int mathType() {
        if (dtype == DType.F32) return tf32 ? CudnnConstants.CUDNN_DEFAULT_MATH : CudnnConstants.CUDNN_FMA_MATH;
        return CudnnConstants.CUDNN_DEFAULT_MATH;
    }

    @Override public String toString() {
        return dtype + " LSTM input " + inputSize + ", hidden " + hiddenSize + ", " + numLayers + " layer(s)"
                + (bidirectional ? ", bidirectional" : "") + ", batch " + batch + ", steps " + maxSeqLength
                + ", lengths " + Arrays.toString(lengths);
    }

    @Override public boolean equals(Object o) {
        return o instanceof RnnShape s && dtype == s.dtype && inputSize == s.inputSize && hiddenSize == s.hiddenSize
                && numLayers == s.numLayers && bidirectional == s.bidirectional && batch == s.batch
                && maxSeqLength == s.maxSeqLength && Arrays.equals(lengths, s.lengths) && tf32 == s.tf32;
    }

    @Override public int hashCode() { return Arrays.hashCode(lengths) * 31 + toString().hashCode(); }
}
