package dev.ser.cuda.backend;

import dev.ser.engine.backend.LstmPass;

/**
 * The backward of a device LSTM pass: it runs once, because it consumes the workspace the forward left
 * (gates turned into their gradients in place, buffers freed), and it frees that workspace afterwards, also
 * when it fails.
 */
final class SingleUseBackward {
    private SingleUseBackward() {}

    static LstmPass.Backward of(LstmPass.Backward body, Runnable freeWorkspace) {
        boolean[] consumed = {false};
        return (dy, dhN, dcN, dx, dh0, dc0, grads) -> {
            if (consumed[0]) throw new IllegalStateException("this LSTM pass's backward already ran (it consumes the workspace); run forward again");
            consumed[0] = true;
            try {
                body.run(dy, dhN, dcN, dx, dh0, dc0, grads);
            } finally {
                freeWorkspace.run();
            }
        };
    }
}
