// The CUDA dialect our kernels use, for g++: force-included (g++ -include emu/cuda_emu.h) before every
// .cu file when the kernels are compiled for the CPU. Nothing here is used by nvcc.
//
// Execution model (emu_launch.cpp): blocks run one after another on the calling OS thread; the threads of
// a block are fibers (fiber.h) that a scheduler runs in turn, each until it returns or waits at a barrier.
// __syncthreads waits for every thread of the block that has not returned; a warp shuffle is an exchange
// through per-warp slots and a barrier over that warp's lanes. __shared__ is `static`: one copy, which is
// right because only one block (and one launch: emu_launch holds a lock) runs at a time.
#pragma once

#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <type_traits>
#include <utility>

#define __global__
#define __device__
#define __host__
#define __forceinline__ inline
#define __restrict__ __restrict
#define __shared__ static
#define __launch_bounds__(...)

struct uint3 { unsigned x, y, z; };

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
    dim3() = default;
    dim3(unsigned x_, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};

// Set by emu_launch: threadIdx each time the scheduler switches to a thread, the others per block and per
// launch. Plain globals (one launch at a time); a kernel rereads them after every barrier, which is a call
// the compiler cannot see into.
extern uint3 threadIdx;
extern uint3 blockIdx;
extern dim3 blockDim;
extern dim3 gridDim;
constexpr int warpSize = 32;

namespace emu {
void syncthreads();
// Every lane of the warp publishes 8 bytes and receives those of lane `srcLane` (all lanes must call).
std::uint64_t warpExchange(std::uint64_t mine, int srcLane);
int laneId();
// The launch's dynamic shared memory (the sharedBytes of emu_launch), and the grid barrier of a
// cooperative launch (emu_launch_cooperative; a plain launch that reaches it is a kernel bug and aborts).
void* dynamicShared();
void gridSync();

template <typename V>
V shuffle(V v, int srcLane) {
    static_assert(sizeof(V) <= 8, "shuffles move at most 8 bytes");
    std::uint64_t bits = 0;
    std::memcpy(&bits, &v, sizeof(V));
    std::uint64_t got = warpExchange(bits, srcLane);
    V out;
    std::memcpy(&out, &got, sizeof(V));
    return out;
}

// The registry every kernel adds itself to (EMU_REGISTER), read by emu_launch.
using Invoker = void (*)(void** args);
struct Registrar {
    Registrar(const char* name, Invoker invoke, int parameters);
};

// Unpacks cuLaunchKernel-style kernelParams (args[i] points at parameter i's value) into a typed call.
template <typename... P, std::size_t... I>
void callWith(void (*kernel)(P...), void** args, std::index_sequence<I...>) {
    kernel(*static_cast<std::remove_cvref_t<P>*>(args[I])...);
}

template <auto Kernel>
struct Invoke;

template <typename... P, void (*Kernel)(P...)>
struct Invoke<Kernel> {
    static constexpr int parameters = sizeof...(P);
    static void run(void** args) { callWith(Kernel, args, std::index_sequence_for<P...>{}); }
};
}  // namespace emu

#define EMU_REGISTER(kernel) \
    static const ::emu::Registrar emu_registered_##kernel(#kernel, &::emu::Invoke<&kernel>::run, \
                                                          ::emu::Invoke<&kernel>::parameters);

// Device math the kernels call that C++ keeps only in std (the double exp, log, tanh, sqrt are global).
using std::signbit;

inline void __syncthreads() { emu::syncthreads(); }

#define SER_DYNAMIC_SHARED(T, name) T* name = static_cast<T*>(::emu::dynamicShared())
#define SER_GRID_SYNC() ::emu::gridSync()

// Loads through L2 only (cache-global) on a GPU; host memory is coherent, so a plain load here.
template <typename V>
inline V __ldcg(const V* p) { return *p; }

// Full-warp shuffles only (mask 0xffffffff, every lane of the warp present): what our reductions use.
template <typename V>
V __shfl_down_sync(unsigned /*mask*/, V v, unsigned delta, int width = warpSize) {
    // A source past the end of the width segment leaves the value unchanged, as on the GPU.
    int lane = emu::laneId();
    bool in = lane % width + (int) delta < width;
    return emu::shuffle(v, in ? lane + (int) delta : lane);
}

template <typename V>
V __shfl_xor_sync(unsigned /*mask*/, V v, int laneMask, int width = warpSize) {
    int lane = emu::laneId();
    int src = lane ^ laneMask;
    return emu::shuffle(v, src / width == lane / width ? src : lane);
}

template <typename V>
V atomicAdd(V* address, V value) {
    return std::atomic_ref<V>(*address).fetch_add(value);
}

inline void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
