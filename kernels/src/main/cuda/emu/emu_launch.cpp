// emu_launch: runs a kernel of this library the way cuLaunchKernel would run it on a GPU, on the CPU.
// Blocks run in order (x fastest, then y, z); the threads of a block are real threads that meet at
// std::barriers. One launch at a time (a lock): __shared__ variables are statics, and a CUDA stream
// is in-order anyway.
#include "cuda_emu.h"  // also force-included by the build; here for readers

#include <barrier>
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
thread_local int linearThread = 0;
thread_local std::string lastError;
std::mutex oneLaunchAtATime;
}  // namespace

Registrar::Registrar(const char* name, Invoker invoke, int parameters) { registry()[name] = {invoke, parameters}; }

void syncthreads() { sync->block.arrive_and_wait(); }

int laneId() { return linearThread % 32; }

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

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                          unsigned bz, unsigned sharedBytes, void** args) {
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
    if (sharedBytes != 0)
        return emu::fail("launch of " + std::string(name) + " asks for " + std::to_string(sharedBytes) +
                         " bytes of dynamic shared memory, which the emulator does not provide; use a fixed-size __shared__ array");
    emu::Invoker invoke = it->second.invoke;
    std::lock_guard<std::mutex> lock(emu::oneLaunchAtATime);
    emu::BlockSync blockSync((int) threads);
    auto body = [&](int linear) {
        emu::sync = &blockSync;
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
