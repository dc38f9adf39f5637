// Softmax cross-entropy forward and backward in one kernel, PyTorch semantics (mean over the total
// target weight, optional class weights, label smoothing). CPU reference: CrossEntropyCpu (through
// CpuBackend.softmaxCrossEntropy), whose formulas these are, in double like it. Test:
// CrossEntropyKernelsTest.
//
// One block: thread r takes rows r, r + SER_BLOCK, ...; the loss is summed per thread, then over the
// block in a fixed order (deterministic; differs from the CPU's row-by-row sum only in the order of a
// double sum). Batches are tens to thousands of rows of a few classes, well within one block's reach.
// The targets must be valid class indices: the backend checks them on the host, where they come from.
#include "block_reduce.cuh"

template <typename T>
__device__ void softmaxCrossEntropy(int n, int c, const T* __restrict__ z, const int* __restrict__ targets,
                                    const T* __restrict__ weights, double eps, T* __restrict__ loss,
                                    T* __restrict__ grad) {
    // W = sum_i w[y_i] (N without weights); every thread needs it for the gradient.
    __shared__ double totalWeight;
    double partial = 0;
    for (int i = threadIdx.x; i < n; i += SER_BLOCK) partial += weights ? (double) weights[targets[i]] : 1.0;
    partial = blockSum(partial);
    if (threadIdx.x == 0) totalWeight = partial;
    __syncthreads();
    double total = totalWeight;
    double wSum = 0;
    for (int j = 0; j < c; j++) wSum += weights ? (double) weights[j] : 1.0;

    double lossSum = 0;
    for (int i = threadIdx.x; i < n; i += SER_BLOCK) {
        const T* row = z + (long long) i * c;
        double max = -INFINITY;
        for (int j = 0; j < c; j++) max = javaMax(max, (double) row[j]);
        double s = 0;
        for (int j = 0; j < c; j++) s += exp((double) row[j] - max);
        double logS = log(s);
        int y = targets[i];
        double wy = weights ? (double) weights[y] : 1.0;
        double smooth = 0, rowLoss = 0;
        for (int j = 0; j < c; j++) {
            double wj = weights ? (double) weights[j] : 1.0;
            double logp = (double) row[j] - max - logS;
            smooth += wj * -logp;
            if (j == y) rowLoss += (1 - eps) * wy * -logp;
        }
        lossSum += rowLoss + eps / c * smooth;
        for (int j = 0; j < c; j++) {
            double wj = weights ? (double) weights[j] : 1.0;
            double p = exp((double) row[j] - max) / s;
            double d = (1 - eps) * wy * (p - (j == y ? 1 : 0)) + eps / c * (p * wSum - wj);
            grad[(long long) i * c + j] = (T) (d / total);
        }
    }
    lossSum = blockSum(lossSum);
    if (threadIdx.x == 0) *loss = (T) (lossSum / total);
}
extern "C" __global__ void softmax_cross_entropy_f32(int n, int c, const float* z, const int* targets,
                                                     const float* weights, double eps, float* loss, float* grad) {
    softmaxCrossEntropy(n, c, z, targets, weights, eps, loss, grad);
}
extern "C" __global__ void softmax_cross_entropy_f64(int n, int c, const double* z, const int* targets,
                                                     const double* weights, double eps, double* loss, double* grad) {
    softmaxCrossEntropy(n, c, z, targets, weights, eps, loss, grad);
}

EMU_REGISTER(softmax_cross_entropy_f32) EMU_REGISTER(softmax_cross_entropy_f64)
