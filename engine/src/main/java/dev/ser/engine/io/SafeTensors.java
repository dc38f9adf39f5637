package dev.ser.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The safetensors format (the one PyTorch, Hugging Face and our references use): 8 bytes little-endian
 * header length N, N bytes of JSON ({@code name -> {dtype, shape, data_offsets}} plus an optional
 * {@code __metadata__} of string to string), then the raw little-endian data.
 *
 * <p>Reading converts on request: {@link #doubles} widens F32/F16/BF16/I64/I32 to double, {@link #floats}
 * narrows F64. Writing is atomic (a temporary file in the same folder, then a rename), so an
 * interrupted save never leaves a half-written checkpoint where a good one was.
 */
public final class SafeTensors {

    /** One tensor's header entry and its bytes. */
    public record Entry(String name, String dtype, int[] shape, ByteBuffer data) {
        public long numel() {
            long n = 1;
            for (int d : shape) n *= d;
            return n;
        }
    }

    private final Path source;
    private final Map<String, Entry> entries;
    private final Map<String, String> metadata;

    private SafeTensors(Path source, Map<String, Entry> entries, Map<String, String> metadata) {
        this.source = source;
        this.entries = entries;
        this.metadata = metadata;
    }

    public static SafeTensors read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) throw new IOException("no such safetensors file: " + file);
        return parse(Files.readAllBytes(file), file);
    }

    public static SafeTensors parse(byte[] bytes, Path nameForErrors) throws IOException {
        String where = nameForErrors == null ? "safetensors data" : nameForErrors.toString();
        if (bytes.length < 8) throw new IOException(where + ": too short for a safetensors file (" + bytes.length + " bytes)");
        ByteBuffer all = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = all.getLong(0);
        if (headerLength <= 0 || headerLength > bytes.length - 8)
            throw new IOException(where + ": not a safetensors file (header length " + headerLength + " does not fit in "
                    + bytes.length + " bytes)");
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        Map<String, Object> json;
        try {
            json = Json.parseObject(header);
        } catch (IllegalArgumentException e) {
            throw new IOException(where + ": the safetensors header is not valid JSON: " + e.getMessage(), e);
        }
        int dataStart = 8 + (int) headerLength;
        Map<String, Entry> entries = new TreeMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : json.entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (e.getValue() instanceof Map<?, ?> m)
                    for (Map.Entry<?, ?> me : m.entrySet()) metadata.put(String.valueOf(me.getKey()), String.valueOf(me.getValue()));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> info)) throw new IOException(where + ": entry " + e.getKey() + " is not an object");
            String dtype = String.valueOf(info.get("dtype"));
            List<?> shapeList = (List<?>) info.get("shape");
            List<?> offsets = (List<?>) info.get("data_offsets");
            if (shapeList == null || offsets == null || offsets.size() != 2)
                throw new IOException(where + ": entry " + e.getKey() + " lacks shape or data_offsets");
            int[] shape = new int[shapeList.size()];
            for (int i = 0; i < shape.length; i++) shape[i] = ((Number) shapeList.get(i)).intValue();
            long begin = ((Number) offsets.get(0)).longValue(), end = ((Number) offsets.get(1)).longValue();
            if (begin < 0 || end < begin || dataStart + end > bytes.length)
                throw new IOException(where + ": entry " + e.getKey() + " has data_offsets [" + begin + ", " + end
                        + "] outside the file (truncated?)");
            long expected = numel(shape) * bytesPer(dtype, where);
            if (end - begin != expected)
                throw new IOException(where + ": entry " + e.getKey() + " holds " + (end - begin) + " bytes, its shape "
                        + Arrays.toString(shape) + " of " + dtype + " needs " + expected);
            ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).slice().order(ByteOrder.LITTLE_ENDIAN);
            entries.put(e.getKey(), new Entry(e.getKey(), dtype, shape, data));
        }
        return new SafeTensors(nameForErrors, Collections.unmodifiableMap(entries), Collections.unmodifiableMap(metadata));
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    private static int bytesPer(String dtype, String where) throws IOException {
        return switch (dtype) {
            case "F64", "I64", "U64" -> 8;
            case "F32", "I32", "U32" -> 4;
            case "F16", "BF16", "I16", "U16" -> 2;
            case "I8", "U8", "BOOL" -> 1;
            default -> throw new IOException(where + ": unsupported dtype " + dtype);
        };
    }

    public Set<String> names() { return entries.keySet(); }

    public boolean has(String name) { return entries.containsKey(name); }

    public Map<String, String> metadata() { return metadata; }

    /**
     * The tensors named {@code prefix + name}, as {@code name}, with the given metadata: one part of a file that
     * holds several (an ensemble's members). Shares the bytes; copies nothing.
     */
    public SafeTensors part(String prefix, Map<String, String> partMetadata) {
        Map<String, Entry> in = new TreeMap<>();
        for (Entry e : entries.values())
            if (e.name().startsWith(prefix)) {
                String name = e.name().substring(prefix.length());
                in.put(name, new Entry(name, e.dtype(), e.shape(), e.data()));
            }
        return new SafeTensors(source, Collections.unmodifiableMap(in), Collections.unmodifiableMap(new LinkedHashMap<>(partMetadata)));
    }

    public Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null)
            throw new IllegalArgumentException((source == null ? "safetensors data" : source) + " has no tensor '" + name
                    + "' (it has: " + String.join(", ", entries.keySet()) + ")");
        return e;
    }

    public int[] shape(String name) { return entry(name).shape().clone(); }

    public double[] doubles(String name) {
        Entry e = entry(name);
        int n = (int) e.numel();
        double[] out = new double[n];
        ByteBuffer b = e.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype()) {
            case "F64" -> b.asDoubleBuffer().get(out);
            case "F32" -> { for (int i = 0; i < n; i++) out[i] = b.getFloat(i * 4); }
            case "F16" -> { for (int i = 0; i < n; i++) out[i] = Float.float16ToFloat(b.getShort(i * 2)); }
            case "BF16" -> { for (int i = 0; i < n; i++) out[i] = Float.intBitsToFloat((b.getShort(i * 2) & 0xffff) << 16); }
            case "I64" -> { for (int i = 0; i < n; i++) out[i] = b.getLong(i * 8); }
            case "I32" -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            case "U8", "BOOL" -> { for (int i = 0; i < n; i++) out[i] = b.get(i) & 0xff; }
            default -> throw new IllegalArgumentException(name + ": cannot read " + e.dtype() + " as numbers");
        }
        return out;
    }

    public float[] floats(String name) {
        Entry e = entry(name);
        if (e.dtype().equals("F32")) {
            float[] out = new float[(int) e.numel()];
            e.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
            return out;
        }
        double[] d = doubles(name);
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
        return out;
    }

    public long[] longs(String name) {
        Entry e = entry(name);
        int n = (int) e.numel();
        long[] out = new long[n];
        ByteBuffer b = e.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        switch (e.dtype()) {
            case "I64" -> b.asLongBuffer().get(out);
            case "I32" -> { for (int i = 0; i < n; i++) out[i] = b.getInt(i * 4); }
            default -> { double[] d = doubles(name); for (int i = 0; i < n; i++) out[i] = (long) d[i]; }
        }
        return out;
    }

    public int[] ints(String name) {
        long[] l = longs(name);
        int[] out = new int[l.length];
        for (int i = 0; i < l.length; i++) out[i] = Math.toIntExact(l[i]);
        return out;
    }

    /** Collects tensors (kept in insertion order) and writes them as one safetensors file. */
    public static final class Writer {
        private record Pending(String name, String dtype, int[] shape, byte[] bytes) {}

        private final List<Pending> tensors = new ArrayList<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        public Writer metadata(String key, String value) {
            metadata.put(key, value);
            return this;
        }

        private static void checkSize(String name, int[] shape, int length) {
            if (numel(shape) != length)
                throw new IllegalArgumentException(name + ": shape " + Arrays.toString(shape) + " needs " + numel(shape)
                        + " values, got " + length);
        }

        public Writer put(String name, int[] shape, double[] data) {
            checkSize(name, shape, data.length);
            ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asDoubleBuffer().put(data);
            return add(name, "F64", shape, b.array());
        }

        public Writer put(String name, int[] shape, float[] data) {
            checkSize(name, shape, data.length);
            ByteBuffer b = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
            b.asFloatBuffer().put(data);
            return add(name, "F32", shape, b.array());
        }

        /**
         * float32 values stored as IEEE half precision (F16): half the bytes, rounded to the nearest of 11
         * significant bits (relative error at most 2^-11, about 5e-4). For weights that are shipped and only
         * read back (an ensemble file); training state stays float32 or float64. A value that float16 cannot
         * hold (|x| > 65504, or not finite) is refused rather than turned into infinity.
         */
        public Writer putFloat16(String name, int[] shape, float[] data) {
            checkSize(name, shape, data.length);
            ByteBuffer b = ByteBuffer.allocate(data.length * 2).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < data.length; i++) {
                if (!(Math.abs(data[i]) <= FLOAT16_MAX))
                    throw new IllegalArgumentException(name + "[" + i + "] = " + data[i] + " does not fit float16 (finite, |x| <= 65504): keep "
                            + name + " float32");
                b.putShort(i * 2, Float.floatToFloat16(data[i]));
            }
            return add(name, "F16", shape, b.array());
        }

        private static final float FLOAT16_MAX = 65504f;

        public Writer put(String name, int[] shape, long[] data) {
            checkSize(name, shape, data.length);
            ByteBuffer b = ByteBuffer.allocate(data.length * 8).order(ByteOrder.LITTLE_ENDIAN);
            b.asLongBuffer().put(data);
            return add(name, "I64", shape, b.array());
        }

        /** Another file's tensor, bytes as they are (any dtype), under {@code name}. */
        public Writer put(String name, Entry e) {
            ByteBuffer b = e.data().duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return add(name, e.dtype(), e.shape(), bytes);
        }

        private Writer add(String name, String dtype, int[] shape, byte[] bytes) {
            for (Pending p : tensors)
                if (p.name.equals(name)) throw new IllegalArgumentException("tensor '" + name + "' is written twice");
            tensors.add(new Pending(name, dtype, shape.clone(), bytes));
            return this;
        }

        public byte[] toBytes() {
            Map<String, Object> header = new LinkedHashMap<>();
            if (!metadata.isEmpty()) header.put("__metadata__", metadata);
            long offset = 0;
            for (Pending p : tensors) {
                Map<String, Object> info = new LinkedHashMap<>();
                info.put("dtype", p.dtype);
                List<Object> shape = new ArrayList<>();
                for (int d : p.shape) shape.add((long) d);
                info.put("shape", shape);
                info.put("data_offsets", List.of(offset, offset + p.bytes.length));
                header.put(p.name, info);
                offset += p.bytes.length;
            }
            byte[] json = Json.write(header).getBytes(StandardCharsets.UTF_8);
            int padded = (json.length + 7) / 8 * 8; // the format pads the header with spaces to 8-byte alignment
            ByteBuffer out = ByteBuffer.allocate(8 + padded + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
            out.putLong(padded);
            out.put(json);
            for (int i = json.length; i < padded; i++) out.put((byte) ' ');
            for (Pending p : tensors) out.put(p.bytes);
            return out.array();
        }

        /** Writes to a temporary file beside {@code file}, then renames it into place. */
        public void write(Path file) throws IOException {
            AtomicFiles.write(file, toBytes());
        }
    }
}
