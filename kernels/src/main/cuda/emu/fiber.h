// Fibers for the emulator: user-space execution contexts on the calling OS thread, each with its own
// small stack, switched by hand (no kernel, no signal mask, no locks). emu_launch.cpp runs each CUDA
// thread of a block on one, so a barrier is a switch of a few nanoseconds instead of an OS-thread wakeup.
//
// x86-64: a switch pushes the six callee-saved registers on the current stack, stores the stack pointer,
// loads the other one and pops its registers (fiber.cpp, 14 instructions: the System V ABI lets a call
// clobber every other general and vector register, and nothing here changes the MXCSR or x87 control
// words, so they are not saved). Elsewhere: ucontext's swapcontext (a signal-mask syscall per switch;
// correct, slower), or -DEMU_FIBER_UCONTEXT to try that path on x86-64.
#pragma once

#include <cstddef>

#if !defined(__x86_64__) && !defined(EMU_FIBER_UCONTEXT)
#define EMU_FIBER_UCONTEXT
#endif
#ifdef EMU_FIBER_UCONTEXT
#include <ucontext.h>
#endif

namespace emu::fiber {

// Where a suspended fiber (or the scheduler) resumes.
struct Context {
#ifdef EMU_FIBER_UCONTEXT
    ucontext_t uc;
#else
    void* sp = nullptr;  // its stack pointer; the callee-saved registers and the return address are on it
#endif
};

// A stack for one fiber: mmap'd, with a PROT_NONE guard page below it, so that an overflow faults at
// once instead of overwriting a neighbouring fiber's frames.
struct Stack {
    Context context;
    char* lowest = nullptr;  // first usable byte (just above the guard page)
    std::size_t bytes = 0;
};

// Bytes of each fiber stack. Our kernels need well under 4 KiB (a few scalars, a StridedLayout by value,
// libm's exp/log/tanh); 64 KiB leaves room for a signal handler the JVM may run on it.
constexpr std::size_t STACK_BYTES = 64 * 1024;

// Saves the running context in `from` and resumes `to`. Returns when something switches back to `from`.
#ifdef EMU_FIBER_UCONTEXT
void switchTo(Context& from, Context& to);
#else
extern "C" void emu_fiber_switch(void** saveSp, void* toSp);  // fiber.cpp
inline void switchTo(Context& from, Context& to) { emu_fiber_switch(&from.sp, to.sp); }
#endif

// Points the stack's context at a fresh frame that calls entry() (which must never return); what ran on
// the stack before is forgotten.
void restart(Stack& stack, void (*entry)());

// A stack from the pool (mmap'd on first need, kept for the life of the process), and back to the pool.
// Not thread-safe: emu_launch calls these under its one-launch-at-a-time lock.
Stack* acquire();
void release(Stack* stack);

}  // namespace emu::fiber
