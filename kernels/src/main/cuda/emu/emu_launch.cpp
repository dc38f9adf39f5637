// emu_launch: runs a kernel of this library the way cuLaunchKernel would run it on a GPU, on the CPU.
// Blocks run in order (x fastest, then y, z) on the calling OS thread; the threads of a block are fibers
// (fiber.h), run by a scheduler each until it returns or waits at a barrier (__syncthreads, or a warp's
// barrier inside a shuffle). One launch at a time (a lock): __shared__ variables are statics, the running
// block is a global, and a CUDA stream is in-order anyway.
#include "cuda_emu.h"  // also force-included by the build; here for readers
#include "fiber.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <mutex>
#include <string>

uint3 threadIdx;
uint3 blockIdx;
dim3 blockDim;
dim3 gridDim;

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

thread_local std::string lastError;
std::mutex oneLaunchAtATime;
}  // namespace

constexpr int MAX_THREADS = 1024, MAX_WARPS = MAX_THREADS / 32;
constexpr unsigned READY_MASK = MAX_THREADS - 1;  // the ready ring holds each thread at most once

// The running launch and block. A global with external linkage, not a static: the compiler must assume
// that any call it cannot see into (the kernel, a fiber switch) reads and writes it.
struct Running {
    Invoker invoke;
    void** args;
    int threads;   // a block's
    int started;   // threads [0, started) have begun
    int live;      // threads that have not returned, those not yet started included
    int current;   // the thread running now
    fiber::Context scheduler;
    fiber::Stack* starting;  // the stack a fiber that starts threads is being started on
    uint3 index[MAX_THREADS];  // threadIdx of each linear thread id
    fiber::Stack* stackOf[MAX_THREADS];
    // Threads a barrier release made runnable, in the order released (a ring; head and tail only grow).
    int ready[MAX_THREADS];
    unsigned readyHead, readyTail;
    // __syncthreads: who waits (it opens when every live thread waits).
    int blockWaiting[MAX_THREADS];
    int blockWaitingCount;
    // Per warp: live lanes, who waits at its barrier, how often it opened, and two banks of shuffle slots
    // (a shuffle writes bank generation % 2; the next one writes the other bank, so a lane that runs ahead
    // cannot overwrite a value a slower lane has yet to read, and one barrier a shuffle suffices).
    int warpLive[MAX_WARPS];
    int warpWaiting[MAX_WARPS][32];
    int warpWaitingCount[MAX_WARPS];
    unsigned warpGeneration[MAX_WARPS];
    std::uint64_t slots[MAX_WARPS][2][32];
};
Running run;

namespace {
void enter(int t) {
    run.current = t;
    threadIdx = run.index[t];
}

void makeReady(int t) { run.ready[run.readyTail++ & READY_MASK] = t; }

bool anyReady() { return run.readyHead != run.readyTail; }

void startFiber(fiber::Context& from);

// Switches from `from` straight to what should run next: a thread a barrier released (first, so that
// fewer stacks are in use at once), else a fresh fiber for the threads not yet started, else the
// scheduler (every thread returned, or the rest wait at barriers that cannot open: a deadlock).
void handOff(fiber::Context& from) {
    if (anyReady()) {
        int t = run.ready[run.readyHead++ & READY_MASK];
        enter(t);
        fiber::switchTo(from, run.stackOf[t]->context);
    } else if (run.started < run.threads) {
        startFiber(from);
    } else {
        fiber::switchTo(from, run.scheduler);
    }
}

// The current thread waits at a barrier; returns when a handOff switches back to it (after enter()).
void suspend() { handOff(run.stackOf[run.current]->context); }

void openBlockBarrier() {
    for (int i = 0; i < run.blockWaitingCount; i++) makeReady(run.blockWaiting[i]);
    run.blockWaitingCount = 0;
}

void openWarpBarrier(int w) {
    run.warpGeneration[w]++;
    for (int i = 0; i < run.warpWaitingCount[w]; i++) makeReady(run.warpWaiting[w][i]);
    run.warpWaitingCount[w] = 0;
}

// Thread t returned from the kernel: a barrier that waited only for it opens (a thread that has
// returned counts as arrived, as on the GPU).
void exited(int t) {
    int w = t / 32;
    run.live--;
    run.warpLive[w]--;
    if (run.blockWaitingCount > 0 && run.blockWaitingCount == run.live) openBlockBarrier();
    if (run.warpWaitingCount[w] > 0 && run.warpWaitingCount[w] == run.warpLive[w]) openWarpBarrier(w);
}

// Every fiber runs this. It starts threads in order, one after another on this same stack, for as long
// as each returns without waiting and no waiting thread has been released; so a block without barriers
// is a plain loop over its threads, with one switch in and one out. A thread that waits keeps this stack
// (its frames are on it) and the next thread starts on another.
[[noreturn]] void fiberMain() {
    fiber::Stack* self = run.starting;
    for (;;) {
        while (!anyReady() && run.started < run.threads) {
            int t = run.started++;
            run.stackOf[t] = self;
            enter(t);
            run.invoke(run.args);
            exited(t);
        }
        // Safe to hand this stack back before leaving it: nothing runs on it until this switch is done.
        fiber::release(self);
        handOff(self->context);  // never resumed here: the stack's next fiber starts with restart()
    }
}

void startFiber(fiber::Context& from) {
    fiber::Stack* stack = fiber::acquire();
    fiber::restart(*stack, fiberMain);
    run.starting = stack;
    fiber::switchTo(from, stack->context);
}

// Runs one block to the end. Returns false, with lastError set, if some threads wait at a barrier that
// can never open.
bool runBlock(const char* kernel) {
    int threads = run.threads;
    run.started = 0;
    run.live = threads;
    run.readyHead = run.readyTail = 0;
    run.blockWaitingCount = 0;
    for (int w = 0; w * 32 < threads; w++) {
        run.warpLive[w] = std::min(32, threads - w * 32);
        run.warpWaitingCount[w] = 0;
        run.warpGeneration[w] = 0;
    }
    startFiber(run.scheduler);  // the fibers hand off among themselves and come back here at the end
    if (run.live == 0) return true;
    // Deadlock: nothing runnable, yet some threads wait. Their frames are dropped with their stacks.
    int atShuffle = 0;
    for (int i = 0; i < run.blockWaitingCount; i++) fiber::release(run.stackOf[run.blockWaiting[i]]);
    for (int w = 0; w * 32 < threads; w++) {
        atShuffle += run.warpWaitingCount[w];
        for (int i = 0; i < run.warpWaitingCount[w]; i++) fiber::release(run.stackOf[run.warpWaiting[w][i]]);
    }
    lastError = "launch of " + std::string(kernel) + " deadlocked in block (" + std::to_string(blockIdx.x) + ", " +
                std::to_string(blockIdx.y) + ", " + std::to_string(blockIdx.z) + "): " +
                std::to_string(run.blockWaitingCount) + " threads wait at __syncthreads, " + std::to_string(atShuffle) +
                " at a warp shuffle, " + std::to_string(threads - run.live) +
                " have returned. A barrier or shuffle in code that not every thread (or every lane of the warp)"
                " reaches? The emulator runs only full-warp shuffles.";
    return false;
}
}  // namespace

Registrar::Registrar(const char* name, Invoker invoke, int parameters) { registry()[name] = {invoke, parameters}; }

void syncthreads() {
    if (run.blockWaitingCount + 1 == run.live) {  // the last to arrive: release the others and go on
        openBlockBarrier();
        return;
    }
    run.blockWaiting[run.blockWaitingCount++] = run.current;
    suspend();
}

int laneId() { return run.current % 32; }

std::uint64_t warpExchange(std::uint64_t mine, int srcLane) {
    int me = run.current, w = me / 32;
    unsigned bank = run.warpGeneration[w] % 2;
    run.slots[w][bank][me % 32] = mine;
    if (run.warpWaitingCount[w] + 1 == run.warpLive[w]) {
        openWarpBarrier(w);
    } else {
        run.warpWaiting[w][run.warpWaitingCount[w]++] = me;
        suspend();
    }
    return run.slots[w][bank][srcLane];
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
    std::lock_guard<std::mutex> lock(emu::oneLaunchAtATime);
    emu::run.invoke = it->second.invoke;
    emu::run.args = args;
    emu::run.threads = (int) threads;
    if (blockDim.x != bx || blockDim.y != by || blockDim.z != bz)  // else run.index holds this shape already
        for (int t = 0; t < (int) threads; t++) emu::run.index[t] = {t % bx, (t / bx) % by, t / (bx * by)};
    blockDim = dim3(bx, by, bz);
    gridDim = dim3(gx, gy, gz);
    for (unsigned z = 0; z < gz; z++)
        for (unsigned y = 0; y < gy; y++)
            for (unsigned x = 0; x < gx; x++) {
                blockIdx = {x, y, z};
                if (!emu::runBlock(name)) return 1;
            }
    return 0;
}
