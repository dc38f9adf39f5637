// The fiber switch and the pool of fiber stacks (see fiber.h).
#include "fiber.h"

#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace emu::fiber {

#ifndef EMU_FIBER_UCONTEXT
// emu_fiber_switch(void** saveSp /* rdi */, void* toSp /* rsi */). The frame it leaves on the stack it
// switches away from is what restart() forges for a new fiber: r15 r14 r13 r12 rbx rbp, then the return
// address.
asm(R"(
    .text
    .p2align 4
    .globl emu_fiber_switch
    .hidden emu_fiber_switch
    .type emu_fiber_switch, @function
emu_fiber_switch:
    pushq %rbp
    pushq %rbx
    pushq %r12
    pushq %r13
    pushq %r14
    pushq %r15
    movq %rsp, (%rdi)
    movq %rsi, %rsp
    popq %r15
    popq %r14
    popq %r13
    popq %r12
    popq %rbx
    popq %rbp
    ret
    .size emu_fiber_switch, .-emu_fiber_switch
)");

void restart(Stack& stack, void (*entry)()) {
    // Top of the stack, 16-byte aligned. After the switch pops six registers and returns into entry, the
    // stack pointer is top - 8: what a `call` leaves (the ABI wants rsp + 8 aligned at a function's entry).
    auto top = reinterpret_cast<std::uintptr_t>(stack.lowest + stack.bytes) & ~std::uintptr_t(15);
    auto* frame = reinterpret_cast<void**>(top) - 8;
    for (int i = 0; i < 6; i++) frame[i] = nullptr;  // r15 r14 r13 r12 rbx rbp
    frame[6] = reinterpret_cast<void*>(entry);     // the return address
    frame[7] = nullptr;                            // entry's own return address: it never returns
    stack.context.sp = frame;
}
#else
void switchTo(Context& from, Context& to) { swapcontext(&from.uc, &to.uc); }

void restart(Stack& stack, void (*entry)()) {
    getcontext(&stack.context.uc);
    stack.context.uc.uc_stack.ss_sp = stack.lowest;
    stack.context.uc.uc_stack.ss_size = stack.bytes;
    stack.context.uc.uc_link = nullptr;
    makecontext(&stack.context.uc, entry, 0);
}
#endif

namespace {
std::vector<Stack*> freeStacks;
int allocated = 0;

Stack* allocate() {
    auto page = (std::size_t) sysconf(_SC_PAGESIZE);
    std::size_t bytes = page + STACK_BYTES;
    void* mem = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    if (mem == MAP_FAILED || mprotect(mem, page, PROT_NONE) != 0) {
        // Nothing sensible to return to: a launch half-way through a block cannot be unwound.
        std::fprintf(stderr, "emu: cannot map a %zu-byte fiber stack; out of address space?\n", bytes);
        std::abort();
    }
    // Cache colouring: the mappings lie 68 KiB apart, so the hot tops of a block's 256 stacks would all
    // fall in the same few cache sets and evict one another at every barrier round; shifting each top down
    // by a different multiple of 9 cache lines spreads them over the sets.
    std::size_t colour = (std::size_t) (allocated++ % 32) * 9 * 64;
    auto* stack = new Stack;
    stack->lowest = static_cast<char*>(mem) + page;
    stack->bytes = STACK_BYTES - colour;
    return stack;
}
}  // namespace

Stack* acquire() {
    if (freeStacks.empty()) return allocate();
    Stack* stack = freeStacks.back();
    freeStacks.pop_back();
    return stack;
}

void release(Stack* stack) { freeStacks.push_back(stack); }

}  // namespace emu::fiber
