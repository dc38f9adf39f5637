// Launches per second of the emulated device (libserkernels_emu.so) on a few representative kernels:
// an elementwise fill, block reductions (a __syncthreads and shuffle tree per block) and the LSTM cell.
// Each case at the grid the Java wrappers gave the emulator before (capped at 8 blocks) and at the grid a
// GPU gets (one thread an element up to 4096 blocks). Loads the library with dlopen, so it measures any
// build of it:
//
//   g++ -O2 -std=c++20 kernels/src/test/emu/emu_bench.cpp -ldl -o /tmp/emu_bench
//   /tmp/emu_bench kernels/target/classes/dev/ser/cuda/emu/linux-x86_64/libserkernels_emu.so [seconds [label]]
#include <dlfcn.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <vector>

using Launch = int (*)(const char*, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, unsigned, void**);
using LastError = const char* (*) ();

static Launch launch;
static LastError lastError;
static double seconds = 1.0;
static const char* only = nullptr;  // run only the cases whose label contains this

// CPU seconds of the whole process (every thread), so that numbers taken on a shared, loaded machine still
// say what a launch costs; the wall time is printed beside it.
static double cpuSeconds() {
    timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

// Launches the kernel until `seconds` have passed; prints launches/s and the time of one launch.
static void bench(const char* label, const char* kernel, unsigned grid, std::vector<void*> args) {
    if (only && !std::strstr(label, only)) return;
    using Clock = std::chrono::steady_clock;
    auto start = Clock::now();
    double cpuStart = cpuSeconds();
    long launches = 0;
    double elapsed = 0;
    do {
        if (launch(kernel, grid, 1, 1, 256, 1, 1, 0, args.data()) != 0) {
            std::fprintf(stderr, "%s: %s\n", kernel, lastError());
            std::exit(1);
        }
        launches++;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < seconds);
    double cpu = cpuSeconds() - cpuStart;
    std::printf("%-42s grid %4u %9.1f launches/s wall %10.1f us/launch wall %10.1f us/launch CPU\n", label, grid,
                launches / elapsed, 1e6 * elapsed / launches, 1e6 * cpu / launches);
}

static unsigned blocks(long n, unsigned cap) {
    long b = (n + 255) / 256;
    return (unsigned) (b < 1 ? 1 : b > cap ? cap : b);
}

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: emu_bench path/to/libserkernels_emu.so [seconds per case [only labels containing this]]\n");
        return 2;
    }
    if (argc > 2) seconds = std::atof(argv[2]);
    if (argc > 3) only = argv[3];
    void* lib = dlopen(argv[1], RTLD_NOW);
    if (!lib) {
        std::fprintf(stderr, "%s\n", dlerror());
        return 1;
    }
    launch = (Launch) dlsym(lib, "emu_launch");
    lastError = (LastError) dlsym(lib, "emu_last_error");

    for (unsigned cap : {8u, 4096u}) {
        std::printf("-- grid cap %u\n", cap);
        // fill_f32 over 1e5 floats
        long long n = 100000;
        float value = 1.5f;
        std::vector<float> out(n);
        float* outP = out.data();
        bench("fill_f32 n=1e5", "fill_f32", blocks(n, cap), {&n, &value, &outP});
        // the common launch of the gradient checks: a small tensor, one block (the launch's fixed cost)
        long long small = 100;
        bench("fill_f32 n=100", "fill_f32", blocks(small, cap), {&small, &value, &outP});

        // sum_rows_f64: 64 rows of 1024, a block a row (blockSum: 2 __syncthreads + 10 shuffles)
        int outer = 64, len = 1024;
        std::vector<double> rows((size_t) outer * len, 0.25), sums(outer);
        double* rowsP = rows.data();
        double* sumsP = sums.data();
        bench("sum_rows_f64 64 x 1024 (block reduction)", "sum_rows_f64", outer < (int) cap ? outer : cap,
              {&outer, &len, &rowsP, &sumsP});

        // sum_squares_partial_f64 over 1e5 doubles (a grid-stride sum, then blockSum per block)
        std::vector<double> x(n, 0.5), partials(4096);
        double* xP = x.data();
        double* partialsP = partials.data();
        bench("sum_squares_partial_f64 n=1e5", "sum_squares_partial_f64", blocks(n, cap < 1024 ? cap : 1024),
              {&n, &xP, &partialsP});

        // lstm_cell_forward_f32: batch 32, hidden 256, training (saves hPrev, cPrev, tanhC)
        int batch = 32, steps = 4, hidden = 256, t = 1, yCol = 0, ldy = hidden;
        std::vector<int> lengths(batch, steps);
        std::vector<float> gates((size_t) batch * steps * 4 * hidden, 0.1f), h((size_t) batch * hidden),
            c((size_t) batch * hidden), y((size_t) batch * steps * hidden), hPrev(y.size()), cPrev(y.size()),
            tanhC(y.size());
        int* lengthsP = lengths.data();
        float *gP = gates.data(), *hP = h.data(), *cP = c.data(), *yP = y.data(), *hpP = hPrev.data(),
              *cpP = cPrev.data(), *tcP = tanhC.data();
        bench("lstm_cell_forward_f32 B=32 H=256", "lstm_cell_forward_f32", blocks((long) batch * hidden, cap),
              {&batch, &steps, &hidden, &t, &lengthsP, &gP, &hP, &cP, &yP, &yCol, &ldy, &hpP, &cpP, &tcP});
    }
    return 0;
}
