package dev.ser.app.features;

import dev.ser.engine.io.AtomicFiles;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy's {@code .npy} format, version 1.0, for float32 arrays in C order: {@code np.load} reads what
 * {@link #write} writes. The layout (numpy/lib/format.py): the magic {@code \x93NUMPY}, version bytes
 * 1 and 0, a little-endian uint16 header length, then an ASCII Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (R, C), }} padded with spaces and ended by
 * a newline so that the data starts at a multiple of 64 bytes (numpy's own alignment), then the data.
 */
public final class Npy {
    private Npy() {}

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGN = 64;

    public static byte[] toBytes(int[] shape, float[] data) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) throw new IllegalArgumentException("negative dimension in shape " + java.util.Arrays.toString(shape));
            n *= d;
        }
        if (n != data.length)
            throw new IllegalArgumentException("shape " + java.util.Arrays.toString(shape) + " holds " + n + " values, got " + data.length);
        StringBuilder dims = new StringBuilder();
        for (int i = 0; i < shape.length; i++) dims.append(i == 0 ? "" : ", ").append(shape[i]);
        if (shape.length == 1) dims.append(','); // a Python 1-tuple
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + dims + "), }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int padding = (ALIGN - unpadded % ALIGN) % ALIGN;
        String header = dict + " ".repeat(padding) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(MAGIC.length + 4 + h.length + data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length).put(h);
        b.asFloatBuffer().put(data);
        return b.array();
    }

    /** Writes atomically (a temporary file, then a rename). */
    public static void write(Path file, int[] shape, float[] data) throws IOException {
        AtomicFiles.write(file, toBytes(shape, data));
    }

    /** A float32 array read back, with its shape. */
    public record Array(int[] shape, float[] data) {}

    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    /** Reads version 1.0 '<f4' C-order files, the kind {@link #write} makes. */
    public static Array read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < MAGIC.length; i++)
            if (bytes.length <= i || bytes[i] != MAGIC[i]) throw new IOException(file + ": not a .npy file (no \\x93NUMPY magic)");
        if (bytes[6] != 1) throw new IOException(file + ": expected .npy version 1.0, found " + bytes[6] + "." + bytes[7]);
        int len = Short.toUnsignedInt(b.getShort(8));
        String header = new String(bytes, 10, len, StandardCharsets.US_ASCII);
        if (!header.contains("'descr': '<f4'") || !header.contains("'fortran_order': False"))
            throw new IOException(file + ": expected a little-endian float32 C-order array, found header " + header.trim());
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) throw new IOException(file + ": no shape in header " + header.trim());
        List<Integer> dims = new ArrayList<>();
        for (String s : m.group(1).split(",")) if (!s.isBlank()) dims.add(Integer.parseInt(s.trim()));
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        long n = 1;
        for (int d : shape) n *= d;
        float[] data = new float[(int) n];
        b.position(10 + len);
        b.slice().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(data);
        return new Array(shape, data);
    }
}
