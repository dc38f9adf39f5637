package dev.ser.cuda.device;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.Test;

/** The void*[] handed to cuLaunchKernel: one pointer per parameter, each to that parameter's bytes, aligned. */
class KernelArgsTest {
    @Test void eachSlotPointsAtItsValue() {
        byte[] shape = new byte[12];
        MemorySegment.ofArray(shape).set(ValueLayout.JAVA_INT_UNALIGNED, 0, 7);
        MemorySegment.ofArray(shape).set(ValueLayout.JAVA_INT_UNALIGNED, 8, 9);
        KernelArgs args = new KernelArgs().ptr(0x7f00_1234_5600L).i32(-3).i64(1L << 40).f32(1.5f).f64(-2.25).struct(shape, 4);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment array = args.pointerArray(arena);
            assertEquals(6 * ValueLayout.ADDRESS.byteSize(), array.byteSize());
            MemorySegment[] slots = new MemorySegment[6];
            for (int i = 0; i < 6; i++) {
                slots[i] = array.getAtIndex(ValueLayout.ADDRESS, i).reinterpret(16);
                assertEquals(0, slots[i].address() % 8, "slot " + i + " is 8-byte aligned");
            }
            assertEquals(0x7f00_1234_5600L, slots[0].get(ValueLayout.JAVA_LONG, 0));
            assertEquals(-3, slots[1].get(ValueLayout.JAVA_INT, 0));
            assertEquals(1L << 40, slots[2].get(ValueLayout.JAVA_LONG, 0));
            assertEquals(1.5f, slots[3].get(ValueLayout.JAVA_FLOAT, 0));
            assertEquals(-2.25, slots[4].get(ValueLayout.JAVA_DOUBLE, 0));
            assertEquals(7, slots[5].get(ValueLayout.JAVA_INT, 0));
            assertEquals(9, slots[5].get(ValueLayout.JAVA_INT, 8));
            assertNotEquals(slots[0].address(), slots[1].address());
        }
    }

    @Test void noArgumentsStillGivesAValidArray() {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(ValueLayout.ADDRESS.byteSize(), new KernelArgs().pointerArray(arena).byteSize());
        }
    }
}
