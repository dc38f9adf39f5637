package dev.ser.cuda.blas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** cuBLAS's version number and the advice attached to its failures; the calls themselves need a GPU (CudaDeviceTest). */
class CublasMessagesTest {
    @Test void versionNumbersReadAsMajorMinorPatch() {
        assertEquals("13.0.2", Cublas.version(130002));
        assertEquals("12.4.5", Cublas.version(120405));
    }

    @Test void invalidValueAdviceCarriesTheArguments() {
        String advice = Cublas.advice(7, "m=4 n=5 k=6");
        assertTrue(advice.startsWith("an argument is out of range"), advice);
        assertTrue(advice.endsWith("(m=4 n=5 k=6)"), advice);
        assertTrue(Cublas.advice(3, null).contains("lower --batch-size"));
        assertEquals("detail only", Cublas.advice(13, "detail only"));
    }
}
