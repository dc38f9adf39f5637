package dev.ser.cuda.device;

/** A CUDA, cuBLAS or cuDNN call that failed: names the call and the status, and says what to do where we know. */
public final class CudaException extends RuntimeException {
    private final String call;
    private final int status;

    public CudaException(String call, int status, String statusName, String advice) {
        super(call + " failed: " + statusName + " (" + status + ")" + (advice == null || advice.isEmpty() ? "" : ". " + advice));
        this.call = call;
        this.status = status;
    }

    /** A device that cannot be used at all (no driver, no GPU, no library); the message says what is missing. */
    public CudaException(String message) {
        super(message);
        this.call = null;
        this.status = -1;
    }

    public String call() { return call; }

    public int status() { return status; }
}
