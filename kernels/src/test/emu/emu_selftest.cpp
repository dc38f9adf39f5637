// Checks the emulator's scheduler on kernels written for the purpose (not part of the library, so the
// fatbin need not hold them): warp shuffles on every lane, __syncthreads with threads that return
// early, odd and 3-D block shapes, 1024-thread blocks, and a deadlock reported rather than hung.
// build-kernels.sh compiles and runs it whenever it rebuilds the emulator library; by hand:
//
//   d=kernels/src/main/cuda
//   g++ -O2 -std=c++20 -include $d/emu/cuda_emu.h -I $d/emu kernels/src/test/emu/emu_selftest.cpp
//       $d/emu/emu_launch.cpp $d/emu/fiber.cpp -o /tmp/emu_selftest && /tmp/emu_selftest
#include <cstdio>
#include <string>
#include <vector>

extern "C" int emu_launch(const char*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void**);
extern "C" const char* emu_last_error();

// out[t] = the value lane (t ^ mask) held, then the value lane t + delta held (t itself past the warp).
__global__ void shuffles(int mask, int delta, int* xorOut, int* downOut) {
    int t = threadIdx.x, v = 1000 + t;
    xorOut[t] = __shfl_xor_sync(0xffffffffu, v, mask);
    downOut[t] = __shfl_down_sync(0xffffffffu, v, (unsigned) delta);
}

// Each thread writes its id to shared memory; after a barrier each reads its neighbour's. Threads with
// t % 7 == 3 return before the second barrier (a returned thread counts as arrived).
__global__ void neighbours(int* out) {
    __shared__ int ids[1024];
    int n = blockDim.x * blockDim.y * blockDim.z;
    int t = threadIdx.x + blockDim.x * (threadIdx.y + blockDim.y * threadIdx.z);
    ids[t] = t + 100000 * (int) blockIdx.x;
    __syncthreads();
    int left = ids[(t + n - 1) % n];
    if (t % 7 == 3) {
        out[blockIdx.x * n + t] = -1;
        return;
    }
    __syncthreads();
    ids[t] = left;
    __syncthreads();
    out[blockIdx.x * n + t] = ids[t];
}

// Half the block waits at __syncthreads, which the other half never reaches, while it waits at a
// shuffle whose lanes the first half holds: a deadlock.
__global__ void deadlock(int* out) {
    if (threadIdx.x % 2 == 0) __syncthreads();
    else out[threadIdx.x] = __shfl_xor_sync(0xffffffffu, (int) threadIdx.x, 1);
}

EMU_REGISTER(shuffles) EMU_REGISTER(neighbours) EMU_REGISTER(deadlock)

static int failures = 0;

static void check(bool ok, const std::string& what) {
    if (!ok) {
        failures++;
        std::printf("FAIL %s\n", what.c_str());
    }
}

int main() {
    for (int mask : {1, 2, 16, 31})
        for (int delta : {1, 4, 16}) {
            int threads = 96;
            std::vector<int> x(threads), d(threads);
            int* xp = x.data();
            int* dp = d.data();
            void* args[] = {&mask, &delta, &xp, &dp};
            check(emu_launch("shuffles", 1, 1, 1, threads, 1, 1, 0, args) == 0, emu_last_error());
            for (int t = 0; t < threads; t++) {
                check(x[t] == 1000 + (t ^ mask), "xor " + std::to_string(mask) + " lane " + std::to_string(t));
                int src = t % 32 + delta < 32 ? t + delta : t;
                check(d[t] == 1000 + src, "down " + std::to_string(delta) + " lane " + std::to_string(t));
            }
        }

    struct Shape { unsigned x, y, z, grid; };
    for (Shape s : {Shape{256, 1, 1, 3}, Shape{1024, 1, 1, 2}, Shape{37, 1, 1, 4}, Shape{8, 4, 3, 2}}) {
        int n = (int) (s.x * s.y * s.z);
        std::vector<int> out((size_t) n * s.grid, -7);
        int* op = out.data();
        void* args[] = {&op};
        std::string shape = std::to_string(s.x) + "x" + std::to_string(s.y) + "x" + std::to_string(s.z);
        check(emu_launch("neighbours", s.grid, 1, 1, s.x, s.y, s.z, 0, args) == 0, emu_last_error());
        for (unsigned b = 0; b < s.grid; b++)
            for (int t = 0; t < n; t++) {
                int want = t % 7 == 3 ? -1 : (t + n - 1) % n + 100000 * (int) b;
                check(out[b * n + t] == want, "neighbours " + shape + " block " + std::to_string(b) + " thread " +
                                                  std::to_string(t) + ": " + std::to_string(out[b * n + t]));
            }
    }

    std::vector<int> out(64);
    int* op = out.data();
    void* args[] = {&op};
    check(emu_launch("deadlock", 1, 1, 1, 64, 1, 1, 0, args) != 0, "deadlock not reported");
    check(std::string(emu_last_error()).find("deadlocked") != std::string::npos, emu_last_error());
    std::printf("as expected: %s\n", emu_last_error());
    // The emulator is usable again after a deadlock (its stacks went back to the pool).
    int mask = 1, delta = 1;
    std::vector<int> x(32), d(32);
    int* xp = x.data();
    int* dp = d.data();
    void* again[] = {&mask, &delta, &xp, &dp};
    check(emu_launch("shuffles", 1, 1, 1, 32, 1, 1, 0, again) == 0 && x[0] == 1001, "launch after a deadlock");

    std::printf("emu_selftest: %s\n", failures == 0 ? "all checks passed" : "FAILED");
    return failures == 0 ? 0 : 1;
}
