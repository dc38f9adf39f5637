// emu_launch: runs a kernel of this library the way cuLaunchKernel would run it on a GPU, on the CPU.
// Blocks run in order (x fastest, then y, z); the threads of a block are real threads that meet at
// std::barriers. One launch at a time (a lock): __shared__ variables are statics, and a CUDA stream
// is in-order anyway.
#include "cuda_emu.h"  // also force-included by the build; here for readers

#include <barrier>
#include <cstddef>
#include <cstdlib>
#include <cstdio>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

thread_local uint3 threadIdx;
thread_local uint3 blockIdx;
thread_local dim3 blockDim;
thread_local dim3 gridDim;

namespace emu {
namespace {
struct Entry {
    Invoker invoke;
    int parameters;
};

// Built by the EMU_REGISTER statics of every .cu file as the library loads.
std::map<std::string, Entry>& registry() {
    static std::map<std::string, Entry> kernels;
    return kernels;
}

// What the threads of the running block share: the block barrier, one barrier and 32 slots per warp.
struct BlockSync {
    explicit BlockSync(int threads) : block(threads), slots(((threads + 31) / 32) * 32) {
        for (int first = 0; first < threads; first += 32)
            warps.push_back(std::make_unique<std::barrier<>>(std::min(32, threads - first)));
    }
    std::barrier<> block;
    std::vector<std::unique_ptr<std::barrier<>>> warps;
    std::vector<std::uint64_t> slots;
};

thread_local BlockSync* sync = nullptr;
// The launch's dynamic shared memory: one buffer per launch is right while blocks run one after another.
thread_local void* dynamicSharedMemory = nullptr;
// True in the threads of a cooperative launch (emu_launch_cooperative), where gridSync is allowed.
thread_local bool cooperative = false;
thread_local int linearThread = 0;
thread_local std::string lastError;
std::mutex oneLaunchAtATime;
}  // namespace

Registrar::Registrar(const char* name, Invoker invoke, int parameters) { registry()[name] = {invoke, parameters}; }

void syncthreads() { sync->block.arrive_and_wait(); }

int laneId() { return linearThread % 32; }

void* dynamicShared() { return dynamicSharedMemory; }

// Interim (until the fiber emulator, branch wt-emu): a cooperative launch here has exactly one block, so
// the grid barrier is the block barrier. See docs/kernels.md, "The emulator and cooperative launches".
void gridSync() {
    if (!cooperative) {
        std::fprintf(stderr, "emulator: a kernel reached a grid barrier (SER_GRID_SYNC) in a launch that was not cooperative\n");
        std::abort();
    }
    sync->block.arrive_and_wait();
}

std::uint64_t warpExchange(std::uint64_t mine, int srcLane) {
    int warp = linearThread / 32;
    sync->slots[warp * 32 + laneId()] = mine;
    sync->warps[warp]->arrive_and_wait();
    std::uint64_t got = sync->slots[warp * 32 + srcLane];
    sync->warps[warp]->arrive_and_wait();  // nobody overwrites a slot before every lane has read
    return got;
}

static int fail(const std::string& why) {
    lastError = why;
    return 1;
}
}  // namespace emu

extern "C" const char* emu_last_error() { return emu::lastError.c_str(); }

extern "C" int emu_kernel_count() { return (int) emu::registry().size(); }

/** The i-th kernel name in sorted order, or null. */
extern "C" const char* emu_kernel_name(int i) {
    if (i < 0 || i >= (int) emu::registry().size()) return nullptr;
    auto it = emu::registry().begin();
    std::advance(it, i);
    return it->first.c_str();
}

/** How many parameters the kernel takes, or -1 when there is no such kernel. */
extern "C" int emu_kernel_parameters(const char* name) {
    auto it = emu::registry().find(name);
    return it == emu::registry().end() ? -1 : it->second.parameters;
}

static int launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                  unsigned sharedBytes, void** args, bool cooperative) {
    auto it = emu::registry().find(name);
    if (it == emu::registry().end())
        return emu::fail(std::string("no kernel named '") + name + "' in the emulated kernel library (" +
                         std::to_string(emu::registry().size()) +
                         " kernels; was it declared extern \"C\" and listed with EMU_REGISTER?)");
    unsigned long long threads = (unsigned long long) bx * by * bz;
    if (gx == 0 || gy == 0 || gz == 0 || threads == 0 || threads > 1024)
        return emu::fail("launch of " + std::string(name) + ": grid (" + std::to_string(gx) + ", " + std::to_string(gy) +
                         ", " + std::to_string(gz) + ") and block of " + std::to_string(threads) +
                         " threads; CUDA needs positive extents and at most 1024 threads a block");
    if (cooperative && (unsigned long long) gx * gy * gz != 1)
        return emu::fail("cooperative launch of " + std::string(name) + " with " + std::to_string((unsigned long long) gx * gy * gz) +
                         " blocks: this emulator runs blocks one after another, so a grid barrier can only join one block"
                         " (emu_max_cooperative_blocks() is 1)");
    emu::Invoker invoke = it->second.invoke;
    std::lock_guard<std::mutex> lock(emu::oneLaunchAtATime);
    emu::BlockSync blockSync((int) threads);
    // Filled with 0xff bytes (a NaN in every float type), so a read of shared memory nobody wrote shows.
    std::vector<std::max_align_t> dynamicShared((sharedBytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t));
    std::memset(dynamicShared.data(), 0xff, dynamicShared.size() * sizeof(std::max_align_t));
    auto body = [&](int linear) {
        emu::sync = &blockSync;
        emu::dynamicSharedMemory = sharedBytes == 0 ? nullptr : dynamicShared.data();
        emu::cooperative = cooperative;
        emu::linearThread = linear;
        threadIdx = {linear % bx, (linear / bx) % by, linear / (bx * by)};
        blockDim = dim3(bx, by, bz);
        gridDim = dim3(gx, gy, gz);
        for (unsigned z = 0; z < gz; z++)
            for (unsigned y = 0; y < gy; y++)
                for (unsigned x = 0; x < gx; x++) {
                    blockIdx = {x, y, z};
                    invoke(args);
                    // Every thread leaves this block before any starts the next (the statics are reused).
                    blockSync.block.arrive_and_wait();
                }
    };
    std::vector<std::thread> pool;
    pool.reserve(threads);
    for (int t = 0; t < (int) threads; t++) pool.emplace_back(body, t);
    for (std::thread& t : pool) t.join();
    return 0;
}

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                          unsigned bz, unsigned sharedBytes, void** args) {
    return launch(name, gx, gy, gz, bx, by, bz, sharedBytes, args, false);
}

/** As cuLaunchCooperativeKernel: SER_GRID_SYNC may be called; every block must be co-resident (here: one). */
extern "C" int emu_launch_cooperative(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                      unsigned bz, unsigned sharedBytes, void** args) {
    return launch(name, gx, gy, gz, bx, by, bz, sharedBytes, args, true);
}

/** How many blocks a cooperative launch may have (all co-resident): 1 while blocks run one after another. */
extern "C" int emu_max_cooperative_blocks() { return 1; }
