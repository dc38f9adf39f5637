package dev.ser.cuda.device;

/** A launch's grid or block extent, as CUDA's dim3. */
public record Dim3(int x, int y, int z) {
    public Dim3 {
        if (x < 1 || y < 1 || z < 1) throw new IllegalArgumentException("dim3 extents must be positive: (" + x + ", " + y + ", " + z + ")");
    }

    public static Dim3 of(int x) { return new Dim3(x, 1, 1); }

    public static Dim3 of(int x, int y) { return new Dim3(x, y, 1); }

    /** Blocks of {@code block} threads that cover {@code n} items, one per thread. */
    public static Dim3 cover(long n, int block) {
        long blocks = Math.max(1, (n + block - 1) / block);
        if (blocks > Integer.MAX_VALUE) throw new IllegalArgumentException(n + " items need more than 2^31 blocks of " + block);
        return of((int) blocks);
    }
}
