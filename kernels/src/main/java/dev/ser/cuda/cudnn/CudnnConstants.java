package dev.ser.cuda.cudnn;

/**
 * The enum values we pass to cuDNN, copied from cuDNN 9.6.0's headers (cudnn_graph.h, cudnn_ops.h,
 * cudnn_adv.h; the same values in every cuDNN 9 release and in the v8 API they keep). C enums and
 * {@code int32_t}/{@code uint32_t} are passed as Java {@code int}, {@code size_t} as {@code long}.
 */
final class CudnnConstants {
    private CudnnConstants() {}

    // cudnn_graph.h: cudnnDataType_t
    static final int CUDNN_DATA_FLOAT = 0;
    static final int CUDNN_DATA_DOUBLE = 1;
    // cudnn_graph.h: cudnnMathType_t
    static final int CUDNN_DEFAULT_MATH = 0;
    static final int CUDNN_FMA_MATH = 3;
    // cudnn_graph.h: cudnnStatus_t (cuDNN 9 renumbered them: categories of 1000)
    static final int CUDNN_STATUS_SUCCESS = 0;
    static final int CUDNN_STATUS_NOT_INITIALIZED = 1001;
    static final int CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED = 1008;
    static final int CUDNN_STATUS_BAD_PARAM = 2000;
    static final int CUDNN_STATUS_NOT_SUPPORTED = 3000;
    static final int CUDNN_STATUS_INTERNAL_ERROR_DEVICE_ALLOCATION_FAILED = 4004;
    static final int CUDNN_STATUS_EXECUTION_FAILED = 5000;

    // cudnn_adv.h: cudnnRNNAlgo_t, cudnnRNNMode_t, cudnnRNNBiasMode_t, cudnnDirectionMode_t, cudnnRNNInputMode_t
    static final int CUDNN_RNN_ALGO_STANDARD = 0;
    static final int CUDNN_LSTM = 2;
    /** Two bias vectors (b_ih and b_hh), as PyTorch's LSTM has. */
    static final int CUDNN_RNN_DOUBLE_BIAS = 2;
    static final int CUDNN_UNIDIRECTIONAL = 0;
    static final int CUDNN_BIDIRECTIONAL = 1;
    static final int CUDNN_LINEAR_INPUT = 0;
    /** auxFlags of cudnnSetRNNDescriptor_v8: needed for the unpacked (padded) data layouts. */
    static final int CUDNN_RNN_PADDED_IO_ENABLED = 1;
    // cudnn_adv.h: cudnnForwardMode_t, cudnnRNNDataLayout_t, cudnnWgradMode_t
    static final int CUDNN_FWD_MODE_INFERENCE = 0;
    static final int CUDNN_FWD_MODE_TRAINING = 1;
    /** [B, T, features] with each sequence padded to T: our layout. */
    static final int CUDNN_RNN_DATA_LAYOUT_BATCH_MAJOR_UNPACKED = 2;
    static final int CUDNN_WGRAD_MODE_ADD = 0;

    /** cuDNN's LSTM has 8 "linear layers" per (layer, direction): 0-3 the input gates i, f, g, o; 4-7 the recurrent ones. */
    static final int LSTM_LINEAR_LAYERS = 8;
}
