package dev.ser.app.features;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NpyTest {
    @Test
    void headerIsNumpyFormatOneAndDataIs64ByteAligned() {
        byte[] b = Npy.toBytes(new int[] {2, 3}, new float[] {1, 2, 3, 4, 5, 6});
        assertEquals((byte) 0x93, b[0]);
        assertEquals("NUMPY", new String(b, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, b[6]);
        assertEquals(0, b[7]);
        int headerLength = (b[8] & 0xff) | (b[9] & 0xff) << 8;
        String header = new String(b, 10, headerLength, StandardCharsets.US_ASCII);
        assertTrue(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }"), header);
        assertTrue(header.endsWith("\n"), header);
        assertEquals(0, (10 + headerLength) % 64);
        assertEquals(10 + headerLength + 24, b.length);
        assertEquals(1f, Float.intBitsToFloat((b[10 + headerLength] & 0xff) | (b[11 + headerLength] & 0xff) << 8
                | (b[12 + headerLength] & 0xff) << 16 | (b[13 + headerLength] & 0xff) << 24));
    }

    @Test
    void oneDimensionalShapeIsAPythonOneTuple() {
        String header = new String(Npy.toBytes(new int[] {4}, new float[4]), 10, 54, StandardCharsets.US_ASCII);
        assertTrue(header.contains("'shape': (4,)"), header);
    }

    @Test
    void roundTrip(@TempDir Path dir) throws IOException {
        float[] data = {0.5f, -1.25f, Float.MIN_VALUE, 3e38f, 0f, 7f};
        Path f = dir.resolve("x.npy");
        Npy.write(f, new int[] {3, 2}, data);
        Npy.Array a = Npy.read(f);
        assertArrayEquals(new int[] {3, 2}, a.shape());
        assertArrayEquals(data, a.data());
    }
}
