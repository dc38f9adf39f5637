package dev.ser.cuda.device;

import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventDestroy;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;

import jcuda.driver.CUevent;
import jcuda.driver.CUevent_flags;

/**
 * GPU time between two points of the device's stream, from CUDA events: what the kernels took, without the
 * host's launch overhead or its waiting. Resolution is about half a microsecond; time many launches
 * between {@link #start} and {@link #stop} for short kernels.
 *
 * <pre>{@code
 * try (GpuTimer t = device.newTimer()) {
 *     t.start();
 *     for (int i = 0; i < 100; i++) device.launch(...);
 *     t.stop();
 *     double perLaunch = t.elapsedMillis() / 100;
 * }
 * }</pre>
 */
public final class GpuTimer implements AutoCloseable {
    private final CudaDevice device;
    private final CUevent start = new CUevent();
    private final CUevent stop = new CUevent();

    GpuTimer(CudaDevice device) {
        this.device = device;
        Driver.check(cuEventCreate(start, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
        Driver.check(cuEventCreate(stop, CUevent_flags.CU_EVENT_DEFAULT), "cuEventCreate");
    }

    /** Marks the start in the stream: everything queued after this call is timed. */
    public void start() {
        device.makeCurrent();
        Driver.check(cuEventRecord(start, device.stream()), "cuEventRecord");
    }

    public void stop() {
        device.makeCurrent();
        Driver.check(cuEventRecord(stop, device.stream()), "cuEventRecord");
    }

    /** Waits for the stop mark to be reached, then returns the GPU time between the marks in milliseconds. */
    public float elapsedMillis() {
        device.makeCurrent();
        Driver.check(cuEventSynchronize(stop), "cuEventSynchronize");
        float[] ms = new float[1];
        Driver.check(cuEventElapsedTime(ms, start, stop), "cuEventElapsedTime");
        return ms[0];
    }

    @Override public void close() {
        device.makeCurrent();
        cuEventDestroy(start);
        cuEventDestroy(stop);
    }
}
