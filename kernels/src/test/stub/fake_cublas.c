// A pretend cuBLAS over fake_cuda.c's host-memory "device": the GEMMs as plain loops, so that the
// java.lang.foreign signatures in Cublas (argument order, int vs long long, host alpha/beta) are checked.
#include <stdio.h>
#include <stdlib.h>

#define STREAM_MAGIC 0x5E125E12
struct handle { void *stream; int math; };

int cublasCreate_v2(struct handle **h) { *h = calloc(1, sizeof(struct handle)); return 0; }
int cublasDestroy_v2(struct handle *h) { free(h); return 0; }
int cublasSetStream_v2(struct handle *h, void *stream) {
    if (stream == NULL || *(int *)stream != STREAM_MAGIC) return 7;    // not fake_cuda's stream: mis-marshalled
    h->stream = stream; return 0;
}
int cublasSetMathMode(struct handle *h, int mode) { if (mode != 0 && mode != 3) return 7; h->math = mode; return 0; }
int cublasGetVersion_v2(struct handle *h, int *v) { *v = 130002; return 0; }
const char *cublasGetStatusName(int s) { return s == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_STUB"; }

#define GEMM(NAME, T) \
int NAME(struct handle *h, int ta, int tb, int m, int n, int k, const T *alpha, const T *A, int lda, long long sa, \
         const T *B, int ldb, long long sb, const T *beta, T *C, int ldc, long long sc, int batch) { \
    if (h->stream == NULL || m < 0 || n < 0 || k < 0 || batch < 0) return 7; \
    if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7; \
    for (int e = 0; e < batch; e++) \
        for (int j = 0; j < n; j++) \
            for (int i = 0; i < m; i++) { \
                double sum = 0; \
                for (int p = 0; p < k; p++) { \
                    T x = ta ? A[e * sa + p + (long long)i * lda] : A[e * sa + i + (long long)p * lda]; \
                    T y = tb ? B[e * sb + j + (long long)p * ldb] : B[e * sb + p + (long long)j * ldb]; \
                    sum += (double)x * y; \
                } \
                T *c = &C[e * sc + i + (long long)j * ldc]; \
                *c = (T)(*alpha * sum + (*beta == 0 ? 0 : *beta * *c)); /* beta 0: C is not read, as in cuBLAS */ \
            } \
    return 0; \
}
GEMM(cublasSgemmStridedBatched, float)
GEMM(cublasDgemmStridedBatched, double)
