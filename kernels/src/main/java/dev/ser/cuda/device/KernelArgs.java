package dev.ser.cuda.device;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * A kernel's arguments in order, laid out the way {@code cuLaunchKernel} wants them: an array of
 * pointers, one per parameter, each to that parameter's value. The emulator's {@code emu_launch}
 * takes the same array, so one builder serves both devices. Device pointers are {@link #ptr};
 * a by-value struct (e.g. shapes and strides) is {@link #struct} with the bytes of its C layout.
 */
public final class KernelArgs {
    private record Arg(byte[] bytes, int align) {}

    private final List<Arg> args = new ArrayList<>();

    public KernelArgs ptr(long address) { return i64(address); }

    public KernelArgs i32(int v) { return put(4, 4, b -> b.set(ValueLayout.JAVA_INT_UNALIGNED, 0, v)); }

    public KernelArgs i64(long v) { return put(8, 8, b -> b.set(ValueLayout.JAVA_LONG_UNALIGNED, 0, v)); }

    public KernelArgs f32(float v) { return put(4, 4, b -> b.set(ValueLayout.JAVA_FLOAT_UNALIGNED, 0, v)); }

    public KernelArgs f64(double v) { return put(8, 8, b -> b.set(ValueLayout.JAVA_DOUBLE_UNALIGNED, 0, v)); }

    /** A struct passed by value: its bytes in the C layout (little-endian), aligned to {@code align}. */
    public KernelArgs struct(byte[] bytes, int align) {
        args.add(new Arg(bytes.clone(), align));
        return this;
    }

    public int size() { return args.size(); }

    private KernelArgs put(int size, int align, java.util.function.Consumer<MemorySegment> write) {
        byte[] bytes = new byte[size];
        write.accept(MemorySegment.ofArray(bytes));
        args.add(new Arg(bytes, align));
        return this;
    }

    /**
     * The {@code void*[]} that cuLaunchKernel / emu_launch take, with the values it points to, allocated in
     * {@code arena} (which must outlive the launch call; the driver copies the values at launch).
     */
    public MemorySegment pointerArray(Arena arena) {
        MemorySegment pointers = arena.allocate(ValueLayout.ADDRESS, Math.max(1, args.size()));
        for (int i = 0; i < args.size(); i++) {
            Arg a = args.get(i);
            MemorySegment value = arena.allocate(Math.max(a.bytes.length, 1), Math.max(a.align, 8));
            MemorySegment.copy(MemorySegment.ofArray(a.bytes), 0, value, 0, a.bytes.length);
            pointers.setAtIndex(ValueLayout.ADDRESS, i, value);
        }
        return pointers;
    }
}
