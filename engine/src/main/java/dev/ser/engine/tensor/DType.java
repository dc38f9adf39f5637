package dev.ser.engine.tensor;

/** Element types. Training runs in F32; gradient checks and PyTorch parity run in F64. */
public enum DType {
    F32(4), F64(8);

    public final int bytes;

    DType(int bytes) { this.bytes = bytes; }

    /** The safetensors name of this type. */
    public String safetensorsName() { return this == F32 ? "F32" : "F64"; }
}
