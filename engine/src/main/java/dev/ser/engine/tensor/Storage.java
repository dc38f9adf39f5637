package dev.ser.engine.tensor;

import dev.ser.engine.backend.Backend;

/** A flat buffer of elements owned by one backend (host arrays for the CPU, device memory for CUDA). */
public interface Storage {
    DType dtype();

    int size();

    Backend backend();
}
