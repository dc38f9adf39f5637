package dev.ser.engine.tensor;

import dev.ser.engine.backend.Backend;
import dev.ser.engine.backend.cpu.CpuBackend;

/**
 * Host memory: exactly one of {@link #f} (F32) or {@link #d} (F64) is non-null. Kernels that matter
 * for speed read the array directly; generic code uses {@link #get}/{@link #set}.
 */
public final class HostStorage implements Storage {
    public final float[] f;
    public final double[] d;

    private HostStorage(float[] f, double[] d) {
        this.f = f;
        this.d = d;
    }

    public static HostStorage allocate(DType dtype, int size) {
        return dtype == DType.F32 ? new HostStorage(new float[size], null) : new HostStorage(null, new double[size]);
    }

    public static HostStorage wrap(float[] data) { return new HostStorage(data, null); }

    public static HostStorage wrap(double[] data) { return new HostStorage(null, data); }

    @Override public DType dtype() { return f != null ? DType.F32 : DType.F64; }

    @Override public int size() { return f != null ? f.length : d.length; }

    @Override public Backend backend() { return CpuBackend.INSTANCE; }

    public double get(int i) { return f != null ? f[i] : d[i]; }

    public void set(int i, double v) {
        if (f != null) f[i] = (float) v;
        else d[i] = v;
    }
}
