package dev.ser.cuda.cudnn;

import dev.ser.cuda.device.CudaException;
import dev.ser.cuda.device.NativeLibraries;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cuDNN's version number, the advice attached to its statuses, and the message when it is not installed. */
class CudnnMessagesTest {
    @Test void versionNumbersReadAsMajorMinorPatch() {
        assertEquals("9.6.0", Cudnn.version(90600));
        assertEquals("9.10.2", Cudnn.version(91002));
    }

    @Test void adviceFollowsTheStatusCategory() {
        assertTrue(Cudnn.advice(2000, "F32 LSTM ...").startsWith("an argument cuDNN refuses"));
        assertTrue(Cudnn.advice(2000, "F32 LSTM ...").endsWith("(F32 LSTM ...)"));
        assertTrue(Cudnn.advice(1008, null).contains("libcudnn_adv.so.9"));
        assertTrue(Cudnn.advice(4004, null).contains("--batch-size"));
        assertTrue(Cudnn.advice(3002, null).contains("does not support"));
        assertEquals("detail only", Cudnn.advice(7, "detail only"));
    }

    @Test void missingLibraryNamesThePlacesAndTheVariable() {
        Assumptions.assumeTrue(NativeLibraries.search(NativeLibraries.CUDNN, NativeLibraries.Environment.system()).found() == null
                && System.getenv("SER_CUDNN_LIB") == null, "cuDNN is installed here");
        CudaException e = assertThrows(CudaException.class, () -> Cudnn.create(0, () -> {}));
        String m = e.getMessage();
        // Found by the system loader is still possible in principle; the message is the not-found one otherwise.
        assertTrue(m.startsWith("cuDNN not found: looked for libcudnn.so.9 in"), m);
        assertTrue(m.contains("SER_CUDNN_LIB") && m.contains("nvidia/cudnn/lib") && m.contains("the system loader"), m);
    }
}
