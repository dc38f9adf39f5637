// emu_launch: runs a kernel of this library the way cuLaunchKernel would run it on a GPU, on the CPU.
// Blocks run in order (x fastest, then y, z) on the calling OS thread; the threads of a block are fibers
// (fiber.h), run by a scheduler each until it returns or waits at a barrier (__syncthreads, or a warp's
// barrier inside a shuffle). One launch at a time (a lock): __shared__ variables are statics, the running
// block is a global, and a CUDA stream is in-order anyway.
//
// A cooperative launch (emu_launch_cooperative, as cuLaunchCooperativeKernel) needs every block alive at
// once, since its grid barrier (SER_GRID_SYNC) waits for all of them: there the scheduler runs the threads
// of every block as one pool of fibers, with a barrier per block, per warp and for the grid, and a buffer
// of dynamic shared memory per block (current while that block's thread runs). Static __shared__ variables
// would be one for all blocks there, so a cooperative kernel must use dynamic shared memory only.
#include "cuda_emu.h"  // also force-included by the build; here for readers
#include "fiber.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>
#include <vector>

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

constexpr int MAX_THREADS = 1024;
// Blocks a cooperative launch may have here: every thread of the grid is a live fiber (a 64 KiB stack each)
// at every grid barrier, so this bounds the emulator's memory, not the kernels' logic.
constexpr int MAX_COOPERATIVE_BLOCKS = 64;

// The running group of threads: one block, or every block of a cooperative launch. A global with external
// linkage, not a static: the compiler must assume that any call it cannot see into (the kernel, a fiber
// switch) reads and writes it. Thread t of the group is local thread t % perBlock of group block
// t / perBlock; its warp is (group block) * warpsPerBlock + local / 32.
struct Running {
    Invoker invoke;
    void** args;
    bool cooperative;
    int perBlock, warpsPerBlock, blocks;  // blocks in the group: 1, or the grid
    int threads;   // perBlock * blocks
    int started;   // threads [0, started) have begun
    int live;      // threads that have not returned, those not yet started included
    int current;   // the thread running now
    fiber::Context scheduler;
    fiber::Stack* starting;  // the stack a fiber that starts threads is being started on
    std::vector<uint3> index;                 // threadIdx of each local thread id
    std::vector<uint3> blockIndex;            // blockIdx of each group block (cooperative)
    std::vector<fiber::Stack*> stackOf;       // per thread
    // Threads a barrier release made runnable, in the order released (a ring of a power-of-two size at least
    // `threads`, which holds each thread at most once; head and tail only grow).
    std::vector<int> ready;
    unsigned readyMask, readyHead, readyTail;
    // __syncthreads per group block: live threads, and who waits (it opens when every live thread waits).
    std::vector<int> blockLive, blockWaitingCount, blockWaiting;  // blockWaiting: [blocks][perBlock]
    // Per warp: live lanes, who waits at its barrier, how often it opened, and two banks of shuffle slots
    // (a shuffle writes bank generation % 2; the next one writes the other bank, so a lane that runs ahead
    // cannot overwrite a value a slower lane has yet to read, and one barrier a shuffle suffices).
    std::vector<int> warpLive, warpWaitingCount, warpWaiting;  // warpWaiting: [warps][32]
    std::vector<unsigned> warpGeneration;
    std::vector<std::array<std::array<std::uint64_t, 32>, 2>> slots;
    // The grid barrier of a cooperative launch: who waits (it opens when every live thread of the grid waits).
    std::vector<int> gridWaiting;
    int gridWaitingCount;
    // Dynamic shared memory: one buffer per group block, 0xff-filled (a NaN in every float type, so a read
    // of memory nobody wrote shows).
    std::size_t sharedBytes;
    std::vector<std::vector<std::max_align_t>> shared;
};
Running run;

namespace {
int blockOf(int t) { return t / run.perBlock; }

int warpOf(int t) { return blockOf(t) * run.warpsPerBlock + (t % run.perBlock) / 32; }

void enter(int t) {
    run.current = t;
    threadIdx = run.index[t % run.perBlock];
    if (run.cooperative) blockIdx = run.blockIndex[blockOf(t)];
}

void makeReady(int t) { run.ready[run.readyTail++ & run.readyMask] = t; }

bool anyReady() { return run.readyHead != run.readyTail; }

void startFiber(fiber::Context& from);

// Switches from `from` straight to what should run next: a thread a barrier released (first, so that
// fewer stacks are in use at once), else a fresh fiber for the threads not yet started, else the
// scheduler (every thread returned, or the rest wait at barriers that cannot open: a deadlock).
void handOff(fiber::Context& from) {
    if (anyReady()) {
        int t = run.ready[run.readyHead++ & run.readyMask];
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

void openBlockBarrier(int b) {
    int* waiting = &run.blockWaiting[(std::size_t) b * run.perBlock];
    for (int i = 0; i < run.blockWaitingCount[b]; i++) makeReady(waiting[i]);
    run.blockWaitingCount[b] = 0;
}

void openWarpBarrier(int w) {
    run.warpGeneration[w]++;
    int* waiting = &run.warpWaiting[(std::size_t) w * 32];
    for (int i = 0; i < run.warpWaitingCount[w]; i++) makeReady(waiting[i]);
    run.warpWaitingCount[w] = 0;
}

void openGridBarrier() {
    for (int i = 0; i < run.gridWaitingCount; i++) makeReady(run.gridWaiting[i]);
    run.gridWaitingCount = 0;
}

// Thread t returned from the kernel: a barrier that waited only for it opens (a thread that has
// returned counts as arrived, as on the GPU).
void exited(int t) {
    int b = blockOf(t), w = warpOf(t);
    run.live--;
    run.blockLive[b]--;
    run.warpLive[w]--;
    if (run.blockWaitingCount[b] > 0 && run.blockWaitingCount[b] == run.blockLive[b]) openBlockBarrier(b);
    if (run.warpWaitingCount[w] > 0 && run.warpWaitingCount[w] == run.warpLive[w]) openWarpBarrier(w);
    if (run.gridWaitingCount > 0 && run.gridWaitingCount == run.live) openGridBarrier();
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

// Sizes the group's tables for `blocks` blocks of `perBlock` threads (they only grow) and resets them.
void prepareGroup(int perBlock, int blocks) {
    run.perBlock = perBlock;
    run.warpsPerBlock = (perBlock + 31) / 32;
    run.blocks = blocks;
    run.threads = perBlock * blocks;
    int warps = run.warpsPerBlock * blocks;
    std::size_t ring = 1024;
    while (ring < (std::size_t) run.threads) ring *= 2;
    if (run.ready.size() < ring) run.ready.resize(ring);
    run.readyMask = (unsigned) ring - 1;
    if (run.stackOf.size() < (std::size_t) run.threads) run.stackOf.resize(run.threads);
    if (run.blockLive.size() < (std::size_t) blocks) {
        run.blockLive.resize(blocks);
        run.blockWaitingCount.resize(blocks);
    }
    if (run.blockWaiting.size() < (std::size_t) run.threads) run.blockWaiting.resize(run.threads);
    if (run.warpLive.size() < (std::size_t) warps) {
        run.warpLive.resize(warps);
        run.warpWaitingCount.resize(warps);
        run.warpGeneration.resize(warps);
        run.slots.resize(warps);
        run.warpWaiting.resize((std::size_t) warps * 32);
    }
    if (run.gridWaiting.size() < (std::size_t) run.threads) run.gridWaiting.resize(run.threads);
}

// Runs the group (one block, or a cooperative grid) to the end. Returns false, with lastError set, if some
// threads wait at a barrier that can never open.
bool runGroup(const char* kernel) {
    run.started = 0;
    run.live = run.threads;
    run.readyHead = run.readyTail = 0;
    run.gridWaitingCount = 0;
    for (int b = 0; b < run.blocks; b++) {
        run.blockLive[b] = run.perBlock;
        run.blockWaitingCount[b] = 0;
    }
    for (int w = 0; w < run.warpsPerBlock * run.blocks; w++) {
        run.warpLive[w] = std::min(32, run.perBlock - (w % run.warpsPerBlock) * 32);
        run.warpWaitingCount[w] = 0;
        run.warpGeneration[w] = 0;
    }
    startFiber(run.scheduler);  // the fibers hand off among themselves and come back here at the end
    if (run.live == 0) return true;
    // Deadlock: nothing runnable, yet some threads wait. Their frames are dropped with their stacks.
    int atBlock = 0, atShuffle = 0;
    for (int b = 0; b < run.blocks; b++) {
        atBlock += run.blockWaitingCount[b];
        for (int i = 0; i < run.blockWaitingCount[b]; i++) fiber::release(run.stackOf[run.blockWaiting[(std::size_t) b * run.perBlock + i]]);
    }
    for (int w = 0; w < run.warpsPerBlock * run.blocks; w++) {
        atShuffle += run.warpWaitingCount[w];
        for (int i = 0; i < run.warpWaitingCount[w]; i++) fiber::release(run.stackOf[run.warpWaiting[(std::size_t) w * 32 + i]]);
    }
    for (int i = 0; i < run.gridWaitingCount; i++) fiber::release(run.stackOf[run.gridWaiting[i]]);
    std::string where = run.cooperative ? "its cooperative grid"
                                        : "block (" + std::to_string(blockIdx.x) + ", " + std::to_string(blockIdx.y) + ", " +
                                                  std::to_string(blockIdx.z) + ")";
    lastError = "launch of " + std::string(kernel) + " deadlocked in " + where + ": " + std::to_string(atBlock) +
                " threads wait at __syncthreads, " + std::to_string(atShuffle) + " at a warp shuffle, " +
                std::to_string(run.gridWaitingCount) + " at the grid barrier, " + std::to_string(run.threads - run.live) +
                " have returned. A barrier or shuffle in code that not every thread (or every lane of the warp)"
                " reaches? The emulator runs only full-warp shuffles.";
    return false;
}
}  // namespace

Registrar::Registrar(const char* name, Invoker invoke, int parameters) { registry()[name] = {invoke, parameters}; }

void syncthreads() {
    int b = blockOf(run.current);
    if (run.blockWaitingCount[b] + 1 == run.blockLive[b]) {  // the last to arrive: release the others and go on
        openBlockBarrier(b);
        return;
    }
    run.blockWaiting[(std::size_t) b * run.perBlock + run.blockWaitingCount[b]++] = run.current;
    suspend();
}

int laneId() { return (run.current % run.perBlock) % 32; }

void* dynamicShared() {
    if (run.sharedBytes == 0) return nullptr;
    return run.shared[run.cooperative ? blockOf(run.current) : 0].data();
}

void gridSync() {
    if (!run.cooperative) {
        std::fprintf(stderr, "emulator: a kernel reached a grid barrier (SER_GRID_SYNC) in a launch that was not cooperative\n");
        std::abort();
    }
    if (run.gridWaitingCount + 1 == run.live) {  // the last of the grid to arrive
        openGridBarrier();
        return;
    }
    run.gridWaiting[run.gridWaitingCount++] = run.current;
    suspend();
}

std::uint64_t warpExchange(std::uint64_t mine, int srcLane) {
    int me = run.current, w = warpOf(me);
    unsigned bank = run.warpGeneration[w] % 2;
    run.slots[w][bank][laneId()] = mine;
    if (run.warpWaitingCount[w] + 1 == run.warpLive[w]) {
        openWarpBarrier(w);
    } else {
        run.warpWaiting[(std::size_t) w * 32 + run.warpWaitingCount[w]++] = me;
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

/** How many blocks a cooperative launch may have (all alive at once). */
extern "C" int emu_max_cooperative_blocks() { return emu::MAX_COOPERATIVE_BLOCKS; }

static int launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz,
                  unsigned sharedBytes, void** args, bool cooperative) {
    auto it = emu::registry().find(name);
    if (it == emu::registry().end())
        return emu::fail(std::string("no kernel named '") + name + "' in the emulated kernel library (" +
                         std::to_string(emu::registry().size()) +
                         " kernels; was it declared extern \"C\" and listed with EMU_REGISTER?)");
    unsigned long long threads = (unsigned long long) bx * by * bz, blocks = (unsigned long long) gx * gy * gz;
    if (gx == 0 || gy == 0 || gz == 0 || threads == 0 || threads > emu::MAX_THREADS)
        return emu::fail("launch of " + std::string(name) + ": grid (" + std::to_string(gx) + ", " + std::to_string(gy) +
                         ", " + std::to_string(gz) + ") and block of " + std::to_string(threads) +
                         " threads; CUDA needs positive extents and at most 1024 threads a block");
    if (cooperative && blocks > (unsigned long long) emu::MAX_COOPERATIVE_BLOCKS)
        return emu::fail("cooperative launch of " + std::string(name) + " with " + std::to_string(blocks) +
                         " blocks: every block must be alive at once, and this emulator keeps at most " +
                         std::to_string(emu::MAX_COOPERATIVE_BLOCKS) + " (emu_max_cooperative_blocks())");
    std::lock_guard<std::mutex> lock(emu::oneLaunchAtATime);
    emu::Running& run = emu::run;
    run.invoke = it->second.invoke;
    run.args = args;
    run.cooperative = cooperative;
    if (run.index.size() < threads) run.index.resize(threads);
    if (blockDim.x != bx || blockDim.y != by || blockDim.z != bz)  // else run.index holds this shape already
        for (int t = 0; t < (int) threads; t++) run.index[t] = {t % bx, (t / bx) % by, t / (bx * by)};
    blockDim = dim3(bx, by, bz);
    gridDim = dim3(gx, gy, gz);
    int groupBlocks = cooperative ? (int) blocks : 1;
    emu::prepareGroup((int) threads, groupBlocks);
    run.sharedBytes = sharedBytes;
    if (sharedBytes > 0) {
        if (run.shared.size() < (std::size_t) groupBlocks) run.shared.resize(groupBlocks);
        std::size_t words = (sharedBytes + sizeof(std::max_align_t) - 1) / sizeof(std::max_align_t);
        for (int b = 0; b < groupBlocks; b++) {
            run.shared[b].resize(words);
            std::memset(run.shared[b].data(), 0xff, words * sizeof(std::max_align_t));
        }
    }
    if (cooperative) {
        if (run.blockIndex.size() < blocks) run.blockIndex.resize(blocks);
        for (unsigned long long b = 0; b < blocks; b++)
            run.blockIndex[b] = {(unsigned) (b % gx), (unsigned) ((b / gx) % gy), (unsigned) (b / ((unsigned long long) gx * gy))};
        blockIdx = run.blockIndex[0];
        return emu::runGroup(name) ? 0 : 1;
    }
    for (unsigned z = 0; z < gz; z++)
        for (unsigned y = 0; y < gy; y++)
            for (unsigned x = 0; x < gx; x++) {
                blockIdx = {x, y, z};
                if (!emu::runGroup(name)) return 1;
            }
    return 0;
}

extern "C" int emu_launch(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                          unsigned bz, unsigned sharedBytes, void** args) {
    return launch(name, gx, gy, gz, bx, by, bz, sharedBytes, args, false);
}

/** As cuLaunchCooperativeKernel: SER_GRID_SYNC may be called; every block is alive at once. */
extern "C" int emu_launch_cooperative(const char* name, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
                                      unsigned bz, unsigned sharedBytes, void** args) {
    return launch(name, gx, gy, gz, bx, by, bz, sharedBytes, args, true);
}
