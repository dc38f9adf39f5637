package dev.ser.engine.io;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Half-precision tensors: written from float32 by rounding to nearest, read back widened; bfloat16 read as PyTorch writes it. */
class SafeTensorsFloat16Test {
    @Test void float16KeepsElevenSignificantBitsAndHalvesTheBytes() throws Exception {
        float[] values = {0f, -0f, 1f, -2.5f, 65504f, 1f / 3, 0.1f, 6.1035156e-5f /* smallest normal */, 1e-3f, -123.456f};
        byte[] bytes = new SafeTensors.Writer().putFloat16("w", new int[]{2, 5}, values).toBytes();
        SafeTensors st = SafeTensors.parse(bytes, null);
        assertEquals("F16", st.entry("w").dtype());
        assertEquals(values.length * 2, st.entry("w").data().remaining());
        float[] back = st.floats("w");
        // exactly representable values come back exactly; the others within half a unit in the 11th bit
        assertArrayEquals(new float[]{0f, -0f, 1f, -2.5f, 65504f}, java.util.Arrays.copyOf(back, 5));
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(back[1]), "the sign of zero survives");
        assertEquals(0.333251953125f, back[5], "1/3 rounds to the nearest float16 (0x3555)");
        for (int i = 5; i < values.length; i++)
            assertTrue(Math.abs(back[i] - values[i]) <= Math.abs(values[i]) * 0x1p-11, values[i] + " came back as " + back[i]);
        assertArrayEquals(st.floats("w"), toFloats(st.doubles("w")));
    }

    @Test void refusesWhatFloat16CannotHold() {
        for (float bad : new float[]{65520f, -1e6f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new SafeTensors.Writer().putFloat16("layer.w", new int[]{2}, new float[]{1f, bad}));
            assertTrue(e.getMessage().contains("layer.w[1]") && e.getMessage().contains("keep layer.w float32"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> new SafeTensors.Writer().putFloat16("w", new int[]{3}, new float[2]));
    }

    /** bfloat16 is the upper half of a float32's bits (how torch.save_file stores torch.bfloat16). */
    @Test void readsBfloat16() throws Exception {
        float[] values = {1f, -0.15625f, 3.0e38f, 0f};
        ByteBuffer raw = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) raw.putShort((short) (Float.floatToIntBits(v) >>> 16));
        raw.flip();
        SafeTensors st = SafeTensors.parse(new SafeTensors.Writer()
                .put("b", new SafeTensors.Entry("b", "BF16", new int[]{4}, raw)).toBytes(), null);
        float[] back = st.floats("b");
        assertEquals(1f, back[0]);
        assertEquals(-0.15625f, back[1]);
        assertEquals(Float.intBitsToFloat(Float.floatToIntBits(3.0e38f) & 0xffff0000), back[2]);
        assertEquals(0f, back[3]);
    }

    private static float[] toFloats(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) f[i] = (float) d[i];
        return f;
    }
}
