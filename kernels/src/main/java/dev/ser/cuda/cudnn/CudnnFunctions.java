package dev.ser.cuda.cudnn;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.NativeLibraries;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * cuDNN's entry points, bound once per JVM. Signatures from cuDNN 9.6.0's headers (the v8 RNN API that
 * cuDNN 9 keeps): cudnn_graph.h (handle, status, version), cudnn_ops.h (tensor and dropout descriptors),
 * cudnn_adv.h (RNN). {@code cudnnStatus_t} and every enum, {@code int} and {@code int32_t}/{@code uint32_t}
 * are {@code JAVA_INT}; {@code size_t} and {@code unsigned long long} are {@code JAVA_LONG}; handles,
 * descriptors, device and host pointers are {@code ADDRESS}.
 */
final class CudnnFunctions {
    final String path;
    // cudnn_graph.h
    final MethodHandle getVersion;          // size_t cudnnGetVersion(void)
    final MethodHandle getErrorString;      // const char *cudnnGetErrorString(cudnnStatus_t)
    final MethodHandle getLastErrorString;  // void cudnnGetLastErrorString(char *message, size_t max_size); may be absent
    final MethodHandle create;              // cudnnCreate(cudnnHandle_t *)
    final MethodHandle destroy;             // cudnnDestroy(cudnnHandle_t)
    final MethodHandle setStream;           // cudnnSetStream(cudnnHandle_t, cudaStream_t)
    // cudnn_ops.h
    final MethodHandle createTensor;        // cudnnCreateTensorDescriptor(cudnnTensorDescriptor_t *)
    final MethodHandle destroyTensor;       // cudnnDestroyTensorDescriptor(cudnnTensorDescriptor_t)
    final MethodHandle setTensorNd;         // (desc, cudnnDataType_t, int nbDims, const int dimA[], const int strideA[])
    final MethodHandle getTensorNd;         // (desc, int nbDimsRequested, cudnnDataType_t *, int *nbDims, int dimA[], int strideA[])
    final MethodHandle createDropout;       // cudnnCreateDropoutDescriptor(cudnnDropoutDescriptor_t *)
    final MethodHandle destroyDropout;      // cudnnDestroyDropoutDescriptor(cudnnDropoutDescriptor_t)
    final MethodHandle setDropout;          // (desc, handle, float dropout, void *states, size_t stateSizeInBytes, unsigned long long seed)
    // cudnn_adv.h
    final MethodHandle createRnn;           // cudnnCreateRNNDescriptor(cudnnRNNDescriptor_t *)
    final MethodHandle destroyRnn;          // cudnnDestroyRNNDescriptor(cudnnRNNDescriptor_t)
    final MethodHandle setRnnV8;            // see bind() below: 14 arguments after the descriptor
    final MethodHandle createRnnData;       // cudnnCreateRNNDataDescriptor(cudnnRNNDataDescriptor_t *)
    final MethodHandle destroyRnnData;      // cudnnDestroyRNNDataDescriptor(cudnnRNNDataDescriptor_t)
    final MethodHandle setRnnData;          // (desc, dataType, layout, int maxSeqLength, int batchSize, int vectorSize, const int seqLengthArray[], void *paddingFill)
    final MethodHandle weightSpaceSize;     // (handle, rnnDesc, size_t *)
    final MethodHandle tempSpaceSizes;      // (handle, rnnDesc, cudnnForwardMode_t, xDesc, size_t *workSpaceSize, size_t *reserveSpaceSize)
    final MethodHandle weightParams;        // (handle, rnnDesc, int32_t pseudoLayer, size_t, const void *w, int32_t linLayerID, mDesc, void **mAddr, bDesc, void **bAddr)
    final MethodHandle forward;             // cudnnRNNForward
    final MethodHandle backwardData;        // cudnnRNNBackwardData_v8
    final MethodHandle backwardWeights;     // cudnnRNNBackwardWeights_v8

    private static CudnnFunctions bound;

    /** Loads libcudnn.so.9 (NativeLibraries' search; its error says where it looked and what to set) and binds it. */
    static synchronized CudnnFunctions get() {
        if (bound == null) bound = new CudnnFunctions(NativeLibraries.load(NativeLibraries.CUDNN));
        return bound;
    }

    private CudnnFunctions(NativeLibraries.Loaded lib) {
        this.path = lib.path();
        preloadSublibraries(lib.path());
        Linker linker = Linker.nativeLinker();
        SymbolLookup symbols = lib.symbols();
        Binder b = (name, descriptor) -> linker.downcallHandle(symbols.find(name).orElseThrow(() -> new CudaException(
                lib.path() + " has no symbol " + name + ": it is not cuDNN 9 (the v8 RNN API is in cuDNN 8 and 9); point SER_CUDNN_LIB at a cuDNN 9 libcudnn.so.9")),
                descriptor);
        FunctionDescriptor onePointer = FunctionDescriptor.of(JAVA_INT, ADDRESS);
        getVersion = b.bind("cudnnGetVersion", FunctionDescriptor.of(JAVA_LONG));
        getErrorString = b.bind("cudnnGetErrorString", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        Optional<java.lang.foreign.MemorySegment> last = symbols.find("cudnnGetLastErrorString");
        getLastErrorString = last.map(s -> linker.downcallHandle(s, FunctionDescriptor.ofVoid(ADDRESS, JAVA_LONG))).orElse(null);
        create = b.bind("cudnnCreate", onePointer);
        destroy = b.bind("cudnnDestroy", onePointer);
        setStream = b.bind("cudnnSetStream", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
        createTensor = b.bind("cudnnCreateTensorDescriptor", onePointer);
        destroyTensor = b.bind("cudnnDestroyTensorDescriptor", onePointer);
        setTensorNd = b.bind("cudnnSetTensorNdDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        getTensorNd = b.bind("cudnnGetTensorNdDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        createDropout = b.bind("cudnnCreateDropoutDescriptor", onePointer);
        destroyDropout = b.bind("cudnnDestroyDropoutDescriptor", onePointer);
        setDropout = b.bind("cudnnSetDropoutDescriptor", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_FLOAT, ADDRESS, JAVA_LONG, JAVA_LONG));
        createRnn = b.bind("cudnnCreateRNNDescriptor", onePointer);
        destroyRnn = b.bind("cudnnDestroyRNNDescriptor", onePointer);
        setRnnV8 = b.bind("cudnnSetRNNDescriptor_v8", FunctionDescriptor.of(JAVA_INT,
                ADDRESS,                                    // rnnDesc
                JAVA_INT, JAVA_INT, JAVA_INT,               // algo, cellMode, biasMode
                JAVA_INT, JAVA_INT,                         // dirMode, inputMode
                JAVA_INT, JAVA_INT, JAVA_INT,               // dataType, mathPrec, mathType
                JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,     // inputSize, hiddenSize, projSize, numLayers
                ADDRESS,                                    // dropoutDesc
                JAVA_INT));                                 // auxFlags (uint32_t)
        createRnnData = b.bind("cudnnCreateRNNDataDescriptor", onePointer);
        destroyRnnData = b.bind("cudnnDestroyRNNDataDescriptor", onePointer);
        setRnnData = b.bind("cudnnSetRNNDataDescriptor", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        weightSpaceSize = b.bind("cudnnGetRNNWeightSpaceSize", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        tempSpaceSizes = b.bind("cudnnGetRNNTempSpaceSizes", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
        weightParams = b.bind("cudnnGetRNNWeightParams", FunctionDescriptor.of(JAVA_INT,
                ADDRESS, ADDRESS, JAVA_INT, JAVA_LONG, ADDRESS, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
        forward = b.bind("cudnnRNNForward", FunctionDescriptor.of(JAVA_INT, layouts(
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS,        // handle, rnnDesc, fwdMode, devSeqLengths
                ADDRESS, ADDRESS, ADDRESS, ADDRESS,         // xDesc, x, yDesc, y
                ADDRESS, ADDRESS, ADDRESS,                  // hDesc, hx, hy
                ADDRESS, ADDRESS, ADDRESS,                  // cDesc, cx, cy
                JAVA_LONG, ADDRESS,                         // weightSpaceSize, weightSpace
                JAVA_LONG, ADDRESS,                         // workSpaceSize, workSpace
                JAVA_LONG, ADDRESS)));                      // reserveSpaceSize, reserveSpace
        backwardData = b.bind("cudnnRNNBackwardData_v8", FunctionDescriptor.of(JAVA_INT, layouts(
                ADDRESS, ADDRESS, ADDRESS,                  // handle, rnnDesc, devSeqLengths
                ADDRESS, ADDRESS, ADDRESS,                  // yDesc, y, dy
                ADDRESS, ADDRESS,                           // xDesc, dx
                ADDRESS, ADDRESS, ADDRESS, ADDRESS,         // hDesc, hx, dhy, dhx
                ADDRESS, ADDRESS, ADDRESS, ADDRESS,         // cDesc, cx, dcy, dcx
                JAVA_LONG, ADDRESS,                         // weightSpaceSize, weightSpace
                JAVA_LONG, ADDRESS,                         // workSpaceSize, workSpace
                JAVA_LONG, ADDRESS)));                      // reserveSpaceSize, reserveSpace
        backwardWeights = b.bind("cudnnRNNBackwardWeights_v8", FunctionDescriptor.of(JAVA_INT, layouts(
                ADDRESS, ADDRESS, JAVA_INT, ADDRESS,        // handle, rnnDesc, addGrad (cudnnWgradMode_t), devSeqLengths
                ADDRESS, ADDRESS,                           // xDesc, x
                ADDRESS, ADDRESS,                           // hDesc, hx
                ADDRESS, ADDRESS,                           // yDesc, y
                JAVA_LONG, ADDRESS,                         // weightSpaceSize, dweightSpace
                JAVA_LONG, ADDRESS,                         // workSpaceSize, workSpace
                JAVA_LONG, ADDRESS)));                      // reserveSpaceSize, reserveSpace
    }

    private interface Binder {
        MethodHandle bind(String name, FunctionDescriptor descriptor);
    }

    private static MemoryLayout[] layouts(MemoryLayout... l) { return l; }

    /**
     * cuDNN 9's libcudnn.so.9 is a front that dlopens its sub-libraries by soname when first needed
     * (libcudnn_graph, libcudnn_ops, libcudnn_adv for the RNN). Found by path (a pip wheel's directory,
     * not on LD_LIBRARY_PATH), they might not be found by soname; loaded here first, from the same directory,
     * the loader resolves the soname to the copy already loaded. Best effort: a sub-library that is missing or
     * does not load here is left to cuDNN, whose CUDNN_STATUS_SUBLIBRARY_LOADING_FAILED then names the problem.
     */
    private static void preloadSublibraries(String path) {
        Path file = Path.of(path);
        if (!Files.isRegularFile(file) || file.getParent() == null) return; // found by the system loader: it finds the rest too
        for (String sub : new String[]{"libcudnn_graph.so.9", "libcudnn_ops.so.9", "libcudnn_adv.so.9"}) {
            Path candidate = file.resolveSibling(sub);
            if (!Files.exists(candidate)) continue;
            try {
                SymbolLookup.libraryLookup(candidate, Arena.global());
            } catch (IllegalArgumentException e) {
                // left to cuDNN; see above
            }
        }
    }
}
